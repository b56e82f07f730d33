import ChurnQuery

/// Opens the connection to a Spark Connect server that a remote cube's statements run on.
package enum SparkConnection {
    /// `url`: a Spark Connect connection string (`sc://host:port[/;token=...;use_ssl=true]`);
    /// `table`: the facts' table there.
    package static func open(url: String, table: String) throws -> any SQLConnection {
        #if Spark
        return try SparkSQLConnection(url: url, table: table)
        #else
        throw SparkUnavailableError()
        #endif
    }

    /// Whether this build has the Spark Connect client.
    package static var isAvailable: Bool {
        #if Spark
        return true
        #else
        return false
        #endif
    }
}

/// The error of a build without the `Spark` trait.
struct SparkUnavailableError: Error, CustomStringConvertible {
    var description: String {
        "this churncube was built without the Spark Connect client; build it with 'swift build -c release --traits Spark'"
    }
}
