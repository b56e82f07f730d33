#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The packed bytes of recently read zstd chunks, kept decompressed so that the next query over
/// the same columns decodes from memory instead of running zstd again (ClickHouse's
/// "uncompressed cache"). The store stays compressed; this holds what scans touch, up to a budget,
/// and drops the least recently used chunks beyond it.
///
/// Entries are keyed by the identity of a chunk's `CacheKey`; a key removes its entry when the chunk
/// goes away, so an identity reused by a later chunk can never find stale bytes.
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
        package var chunks: Int
        package var budgetBytes: Int
        package var hits: Int
        package var misses: Int
    }

    private struct Entry {
        var bytes: [UInt8]
        var lastUse: UInt64
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
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
        state.withLock { Usage(bytes: $0.bytes, chunks: $0.entries.count, budgetBytes: $0.budgetBytes,
                               hits: $0.hits, misses: $0.misses) }
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
            let id = ObjectIdentifier(key)
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

    /// Keeps `bytes` for `key`'s chunk if they fit the budget, evicting the least recently used
    /// chunks in one batch (down to 90% of the budget) so that a full cache does not sort on every insert.
    func insert(_ bytes: [UInt8], for key: CacheKey) {
        state.withLock { state in
            guard Self.fits(bytes.count, state) else { return }
            let id = ObjectIdentifier(key)
            state.clock += 1
            if let old = state.entries.updateValue(Entry(bytes: bytes, lastUse: state.clock), forKey: id) {
                state.bytes -= old.bytes.count
            }
            state.bytes += bytes.count
            key.wasCached.store(true, ordering: .relaxed)
            if state.bytes > state.budgetBytes { Self.evict(&state, downTo: state.budgetBytes / 10 * 9) }
        }
    }

    /// Whether an entry is kept under this key identity.
    func holdsEntry(for id: ObjectIdentifier) -> Bool {
        state.withLock { $0.entries[id] != nil }
    }

    fileprivate func forget(_ id: ObjectIdentifier) {
        state.withLock { state in
            if let old = state.entries.removeValue(forKey: id) { state.bytes -= old.bytes.count }
        }
    }

    private static func evict(_ state: inout State, downTo target: Int) {
        guard state.bytes > target else { return }
        let oldestFirst = state.entries.sorted { $0.value.lastUse < $1.value.lastUse }
        for (id, entry) in oldestFirst where state.bytes > target {
            state.entries.removeValue(forKey: id)
            state.bytes -= entry.bytes.count
        }
    }
}
