import Testing
@testable import ChurnSparkWire

@Suite struct SparkConnectURLTests {
    let noEnvironment: [String: String] = [:]

    @Test func hostAndPort() throws {
        let url = try SparkConnectURL(parsing: "sc://spark.example.com:15102", environment: noEnvironment)
        #expect(url.host == "spark.example.com")
        #expect(url.port == 15102)
        #expect(url.token == nil)
        #expect(!url.usesTLS)
        #expect(url.endpoint == "spark.example.com:15102")
    }

    @Test func defaultPort() throws {
        #expect(try SparkConnectURL(parsing: "sc://localhost", environment: noEnvironment).port == 15002)
        #expect(try SparkConnectURL(parsing: "sc://localhost/", environment: noEnvironment).port == 15002)
    }

    @Test func parameters() throws {
        let url = try SparkConnectURL(
            parsing: "sc://h:1/;token=abc%3Bdef;use_ssl=TRUE;user_id=ana;session_id=00112233-4455-4677-8899-AABBCCDDEEFF;user_agent=cube;extra=1;",
            environment: noEnvironment
        )
        #expect(url.token == "abc;def")
        #expect(url.useSSL)
        #expect(url.usesTLS)
        #expect(url.userID == "ana")
        #expect(url.userAgent == "cube")
        #expect(url.sessionID == "00112233-4455-4677-8899-aabbccddeeff")
        #expect(url.parameters["extra"] == "1")
        #expect(!url.description.contains("abc"))
    }

    @Test func ipv6() throws {
        let url = try SparkConnectURL(parsing: "sc://[::1]:15102", environment: noEnvironment)
        #expect(url.host == "::1")
        #expect(url.endpoint == "[::1]:15102")
        #expect(url.isLoopback)
    }

    @Test func tokenFromTheEnvironmentOnlyWhenTheURLHasNone() throws {
        let environment = ["SPARK_CONNECT_TOKEN": "from-env"]
        #expect(try SparkConnectURL(parsing: "sc://h", environment: environment).token == "from-env")
        #expect(try SparkConnectURL(parsing: "sc://h/;token=inline", environment: environment).token == "inline")
        #expect(try SparkConnectURL(parsing: "sc://h", environment: ["SPARK_CONNECT_TOKEN": ""]).token == nil)
    }

    @Test func tokenImpliesTLSExceptOnLoopback() throws {
        #expect(try SparkConnectURL(parsing: "sc://spark.example.com/;token=t", environment: noEnvironment).usesTLS)
        #expect(try !SparkConnectURL(parsing: "sc://127.0.0.1:15102/;token=t", environment: noEnvironment).usesTLS)
        #expect(try SparkConnectURL(parsing: "sc://127.0.0.1/;token=t;use_ssl=true", environment: noEnvironment).usesTLS)
    }

    @Test(arguments: [
        ("http://h:1", "is not a Spark Connect URL"),
        ("sc://", "has no host name"),
        ("sc://:15002", "has no host name"),
        ("sc://h:abc", "port 'abc'"),
        ("sc://h:0", "port '0'"),
        ("sc://h:70000", "port '70000'"),
        ("sc://h:", "port ''"),
        ("sc://h:1/db", "the path '/db' must be empty"),
        ("sc://h:1;token=x", "parameters follow '/;'"),
        ("sc://h:1/;token", "parameter 'token' is not key=value"),
        ("sc://h:1/;a=b=c", "parameter 'a=b=c'"),
        ("sc://h:1/;use_ssl=yes", "use_ssl='yes' must be true or false"),
        ("sc://h:1/;session_id=abc", "session_id 'abc' must be a UUID"),
        ("sc://h:1/;token=%zz", "'%zz' has a '%'"),
        ("sc://h:1?x=1", "query"),
        ("sc://user@h:1", "user name"),
    ])
    func refusedWithAReason(text: String, expectedFragment: String) {
        do {
            _ = try SparkConnectURL(parsing: text, environment: noEnvironment)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.description.contains(expectedFragment), "\(error.description)")
            if case .invalidBoolean = error { return }
            if case .invalidSessionID = error { return }
            if case .invalidPercentEncoding = error { return }
            #expect(error.description.contains("expected sc://host:port"), "\(error.description)")
        }
    }
}
