/// One cell of the finest grouping over the searched dimensions: one code per dimension, in the
/// input's dimension order, and the additive moments of the rows in it.
package struct HotspotCell: Sendable, Equatable {
    package var key: [UInt32]
    package var moments: Moments

    package init(key: [UInt32], moments: Moments) {
        self.key = key
        self.moments = moments
    }
}
