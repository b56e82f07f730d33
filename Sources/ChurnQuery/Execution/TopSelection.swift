/// The first `count` of `total` items under a strict order, in order, without sorting them all:
/// a bounded max-heap of the best so far, O(total × log count).
enum TopSelection {
    static func first(_ count: Int, of total: Int, by precedes: (Int, Int) -> Bool) -> [Int] {
        guard count > 0 else { return [] }
        var heap: [Int] = []
        heap.reserveCapacity(count)
        // The heap's root is the worst item kept.
        func siftUp(_ start: Int) {
            var child = start
            while child > 0 {
                let parent = (child - 1) / 2
                guard precedes(heap[parent], heap[child]) else { return }
                heap.swapAt(parent, child)
                child = parent
            }
        }
        func siftDown() {
            var parent = 0
            while true {
                let (left, right) = (2 * parent + 1, 2 * parent + 2)
                var worst = parent
                if left < heap.count && precedes(heap[worst], heap[left]) { worst = left }
                if right < heap.count && precedes(heap[worst], heap[right]) { worst = right }
                if worst == parent { return }
                heap.swapAt(parent, worst)
                parent = worst
            }
        }
        for item in 0..<total {
            if heap.count < count {
                heap.append(item)
                siftUp(heap.count - 1)
            } else if precedes(item, heap[0]) {
                heap[0] = item
                siftDown()
            }
        }
        return heap.sorted(by: precedes)
    }
}
