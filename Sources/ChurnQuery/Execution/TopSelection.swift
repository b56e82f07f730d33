/// The first `count` of `total` items under a strict order, in order, without sorting them all:
/// a bounded max-heap of the best so far, O(total × log count).
enum TopSelection {
    /// The first `count` of `total` items by their keys (`width` values each, filled in by `keys`),
    /// visiting each item once and keeping the keys of the best `count` only: memory O(count × width)
    /// however many items there are. `precedes` compares two items by their keys and indices.
    static func first<Key>(_ count: Int, of total: Int, width: Int, placeholder: Key,
                           keys fill: (Int, UnsafeMutableBufferPointer<Key>) -> Void,
                           by precedes: (UnsafeBufferPointer<Key>, Int, UnsafeBufferPointer<Key>, Int) -> Bool) -> [Int] {
        guard count > 0, total > 0 else { return [] }
        let capacity = min(count, total)
        // Slot s holds one kept item: its keys at s × width and its index; the heap orders slots,
        // its root the worst item kept.
        var slotKeys = [Key](repeating: placeholder, count: (capacity + 1) * width)
        var slotItems = [Int](repeating: 0, count: capacity + 1)
        var heap: [Int] = []
        heap.reserveCapacity(capacity)
        let scratchSlot = capacity
        return slotKeys.withUnsafeMutableBufferPointer { keys in
            func keysOf(_ slot: Int) -> UnsafeBufferPointer<Key> {
                UnsafeBufferPointer(rebasing: keys[(slot * width)..<(slot * width + width)])
            }
            func slotPrecedes(_ a: Int, _ b: Int) -> Bool { precedes(keysOf(a), slotItems[a], keysOf(b), slotItems[b]) }
            func siftUp(_ start: Int) {
                var child = start
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard slotPrecedes(heap[parent], heap[child]) else { return }
                    heap.swapAt(parent, child)
                    child = parent
                }
            }
            func siftDown() {
                var parent = 0
                while true {
                    let (left, right) = (2 * parent + 1, 2 * parent + 2)
                    var worst = parent
                    if left < heap.count && slotPrecedes(heap[worst], heap[left]) { worst = left }
                    if right < heap.count && slotPrecedes(heap[worst], heap[right]) { worst = right }
                    if worst == parent { return }
                    heap.swapAt(parent, worst)
                    parent = worst
                }
            }
            func store(_ item: Int, in slot: Int) {
                fill(item, UnsafeMutableBufferPointer(rebasing: keys[(slot * width)..<(slot * width + width)]))
                slotItems[slot] = item
            }
            for item in 0..<total {
                if heap.count < capacity {
                    store(item, in: heap.count)
                    heap.append(heap.count)
                    siftUp(heap.count - 1)
                } else {
                    store(item, in: scratchSlot)
                    guard slotPrecedes(scratchSlot, heap[0]) else { continue }
                    // The newcomer takes the place of the worst kept item.
                    let worst = heap[0]
                    for offset in 0..<width { keys[worst * width + offset] = keys[scratchSlot * width + offset] }
                    slotItems[worst] = item
                    siftDown()
                }
            }
            return heap.sorted(by: slotPrecedes).map { slotItems[$0] }
        }
    }
}
