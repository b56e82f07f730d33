/// Where a cube's facts live when they are a table of a remote engine rather than a file:
/// `source: { engine: spark, url: sc://host:15002, table: facts }`. Credentials never go in the
/// file; the client reads a token from the environment.
package struct RemoteSource: Sendable, Equatable {
    package enum Engine: String, Sendable, CaseIterable {
        case spark
    }

    package var engine: Engine
    package var url: String
    package var table: String
    /// Line of the `source:` section, for errors about it.
    package var line: Int

    package init(engine: Engine, url: String, table: String, line: Int = 0) {
        self.engine = engine
        self.url = url
        self.table = table
        self.line = line
    }
}
