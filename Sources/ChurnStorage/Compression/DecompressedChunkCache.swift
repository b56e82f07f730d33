#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The packed bytes of recently read zstd chunks, kept decompressed so that the next query over
/// the same columns decodes from memory instead of running zstd again (ClickHouse's
/// "uncompressed cache"). The store stays compressed; this holds what scans touch, up to a budget,
/// and drops the least recently used chunks beyond it. Beside them it keeps the run index of
/// run-length chunks read at a few rows (`IntegerCodec.decode(_:rows:...)`), under the same budget.
///
/// Entries are keyed by the identity of a chunk's `CacheKey`; a key removes its entries when the
/// chunk goes away, so an identity reused by a later chunk can never find stale bytes.
package final class DecompressedChunkCache: Sendable {
    package static let shared = DecompressedChunkCache(budgetBytes: defaultBudget())

    /// One chunk's handle on the cache. Chunks are immutable, so cached bytes stay valid as long as it lives.
    package final class CacheKey: Sendable {
        fileprivate let wasCached = Atomic<Bool>(false)
        /// Set once a reader has checked that the chunk's codes lie in its dictionary: the bytes
        /// never change, so the check is not repeated.
        let codesChecked = Atomic<Bool>(false)

        package init() {}

        deinit {
            if wasCached.load(ordering: .relaxed) { DecompressedChunkCache.shared.forget(ObjectIdentifier(self)) }
        }
    }

    package struct Usage: Sendable, Equatable {
        package var bytes: Int
        /// Chunks whose packed bytes are kept (not counting run-end indexes).
        package var chunks: Int
        package var budgetBytes: Int
        /// Reads of packed bytes that found them, or did not.
        package var hits: Int
        package var misses: Int
        /// Run-end indexes kept.
        package var runIndexes: Int = 0
    }

    /// What is kept for a chunk: its packed bytes, or its run index (`IntegerCodec.runIndex`).
    private struct EntryKey: Hashable {
        let chunk: ObjectIdentifier
        let runIndex: Bool
    }

    private struct Entry {
        var bytes: [UInt8] = []
        var runIndex: [Int32] = []
        var lastUse: UInt64
        var size: Int { bytes.count + runIndex.count * MemoryLayout<Int32>.stride }
    }

    private struct State {
        var entries: [EntryKey: Entry] = [:]
        var bytes = 0
        var clock: UInt64 = 0
        var budgetBytes: Int
        var hits = 0
        var misses = 0
    }

    private let state: Mutex<State>

    package init(budgetBytes: Int) {
        state = Mutex(State(budgetBytes: max(0, budgetBytes)))
    }

    /// 1 GiB, or a quarter of physical memory when that is less.
    static func defaultBudget() -> Int {
        let gibibyte = 1 << 30
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return gibibyte / 4 }
        return min(gibibyte, pages * pageSize / 4)
    }

    package var usage: Usage {
        state.withLock { state in
            let runIndexes = state.entries.keys.filter(\.runIndex).count
            return Usage(bytes: state.bytes, chunks: state.entries.count - runIndexes, budgetBytes: state.budgetBytes,
                         hits: state.hits, misses: state.misses, runIndexes: runIndexes)
        }
    }

    /// Changes the budget (0 turns the cache off) and drops what no longer fits.
    package func setBudget(bytes: Int) {
        state.withLock { state in
            state.budgetBytes = max(0, bytes)
            Self.evict(&state, downTo: state.budgetBytes)
        }
    }

    /// Whether a chunk of `byteCount` packed bytes would be kept: at most an eighth of the budget,
    /// so that one huge chunk cannot push out everything else.
    func accepts(byteCount: Int) -> Bool {
        state.withLock { Self.fits(byteCount, $0) }
    }

    private static func fits(_ byteCount: Int, _ state: State) -> Bool { byteCount <= state.budgetBytes / 8 }

    /// The cached bytes of `key`'s chunk, or nil.
    func bytes(for key: CacheKey) -> [UInt8]? {
        state.withLock { state in
            let id = EntryKey(chunk: ObjectIdentifier(key), runIndex: false)
            guard var entry = state.entries[id] else {
                state.misses += 1
                return nil
            }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[id] = entry
            state.hits += 1
            return entry.bytes
        }
    }

    /// The cached run index of `key`'s chunk, or nil.
    func runIndex(for key: CacheKey) -> [Int32]? {
        state.withLock { state in
            let id = EntryKey(chunk: ObjectIdentifier(key), runIndex: true)
            guard var entry = state.entries[id] else { return nil }
            state.clock += 1
            entry.lastUse = state.clock
            state.entries[id] = entry
            return entry.runIndex
        }
    }

    /// Keeps `bytes` for `key`'s chunk if they fit the budget, evicting the least recently used
    /// chunks in one batch (down to 90% of the budget) so that a full cache does not sort on every insert.
    func insert(_ bytes: [UInt8], for key: CacheKey) {
        insert(Entry(bytes: bytes, lastUse: 0), as: EntryKey(chunk: ObjectIdentifier(key), runIndex: false), of: key)
    }

    /// Keeps the run index of `key`'s chunk if they fit the budget.
    func insert(runIndex: [Int32], for key: CacheKey) {
        insert(Entry(runIndex: runIndex, lastUse: 0), as: EntryKey(chunk: ObjectIdentifier(key), runIndex: true), of: key)
    }

    private func insert(_ entry: Entry, as id: EntryKey, of key: CacheKey) {
        state.withLock { state in
            guard Self.fits(entry.size, state) else { return }
            var entry = entry
            state.clock += 1
            entry.lastUse = state.clock
            if let old = state.entries.updateValue(entry, forKey: id) { state.bytes -= old.size }
            state.bytes += entry.size
            key.wasCached.store(true, ordering: .relaxed)
            if state.bytes > state.budgetBytes { Self.evict(&state, downTo: state.budgetBytes / 10 * 9) }
        }
    }

    /// Whether an entry (packed bytes or a run index) is kept under this key identity.
    func holdsEntry(for id: ObjectIdentifier) -> Bool {
        state.withLock { $0.entries[EntryKey(chunk: id, runIndex: false)] != nil || $0.entries[EntryKey(chunk: id, runIndex: true)] != nil }
    }

    fileprivate func forget(_ id: ObjectIdentifier) {
        state.withLock { state in
            for runIndex in [false, true] {
                if let old = state.entries.removeValue(forKey: EntryKey(chunk: id, runIndex: runIndex)) { state.bytes -= old.size }
            }
        }
    }

    private static func evict(_ state: inout State, downTo target: Int) {
        guard state.bytes > target else { return }
        let oldestFirst = state.entries.sorted { $0.value.lastUse < $1.value.lastUse }
        for (id, entry) in oldestFirst where state.bytes > target {
            state.entries.removeValue(forKey: id)
            state.bytes -= entry.size
        }
    }
}
