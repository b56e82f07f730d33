/// One dimension a hot-spot search combines: its name, the label of each code, and its parent
/// level when it belongs to a hierarchy.
///
/// Codes index `labels`; code 0 is NULL by convention and has the label nil. A dimension is
/// never paired with one of its hierarchy ancestors (no `region = amer AND country = US`):
/// the finer level already says everything the coarser one does.
package struct HotspotDimension: Sendable, Equatable {
    package var name: String
    /// The label of each code; `labels.count` is the dimension's cardinality.
    package var labels: [String?]
    /// Index, among the input's dimensions, of the level this one rolls up to
    /// (country -> region, campaign -> channel).
    package var hierarchyParent: Int?

    package init(name: String, labels: [String?], hierarchyParent: Int? = nil) {
        self.name = name
        self.labels = labels
        self.hierarchyParent = hierarchyParent
    }

    package var cardinality: Int { labels.count }
}
