#if Spark
import Foundation
import SparkTestSupport
import Testing
@testable import ChurnSpark
@testable import ChurnSparkWire

/// No server needed: what the analyst sees when there is none.
@Suite struct ConnectionFailureTests {
    @Test func closedPortFailsQuicklyNamingTheEndpoint() async throws {
        let url = try SparkConnectURL(parsing: "sc://127.0.0.1:\(try Self.closedPort())", environment: [:])
        let (failure, took) = try await Self.open(url)
        guard case .failure(let error as SparkConnectError) = failure, case .unreachable(let endpoint, let reason) = error.kind else {
            Issue.record("expected unreachable, got \(failure)")
            return
        }
        #expect(endpoint == url.endpoint)
        #expect(reason == "connection refused")
        #expect(error.description.contains(url.endpoint))
        #expect(took < .seconds(10), "took \(took)")
    }

    @Test func unknownHostFails() async throws {
        let url = try SparkConnectURL(parsing: "sc://no-such-host.invalid:15002", environment: [:])
        let (failure, took) = try await Self.open(url)
        guard case .failure(let error as SparkConnectError) = failure, case .unreachable = error.kind else {
            Issue.record("expected unreachable, got \(failure)")
            return
        }
        #expect(error.description.contains("no-such-host.invalid:15002"))
        #expect(took < .seconds(10), "took \(took)")
    }

    /// Tries to open a session; the outcome and how long it took.
    static func open(_ url: SparkConnectURL) async throws -> (Result<String, any Error>, Duration) {
        try await offCooperativePool {
            let started = ContinuousClock.now
            let outcome = Result {
                let session = try SparkConnectSession(url: url, connectTimeout: .seconds(5))
                defer { session.close() }
                return try session.sparkVersion()
            }
            return (outcome, started.duration(to: .now))
        }
    }

    /// A port nothing listens on: bound once by the kernel's choice, then released.
    static func closedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
#endif
