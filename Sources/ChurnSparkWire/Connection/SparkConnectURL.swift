import Foundation

/// A parsed Spark Connect connection string, `sc://host[:port][/;param=value;...]`.
///
/// Follows Spark's connection-string rules: the port defaults to 15002, the path must be empty,
/// parameters are `;`-separated `key=value` pairs with percent-encoded values. Known parameters
/// are `token`, `use_ssl`, `user_id`, `user_agent` and `session_id`; others are kept in
/// `parameters` and ignored. Without a `token` parameter the token comes from the environment
/// (`SPARK_CONNECT_TOKEN`, then pyspark's `SPARK_CONNECT_AUTHENTICATE_TOKEN`) when set.
package struct SparkConnectURL: Sendable, Equatable, CustomStringConvertible {
    package static let defaultPort = 15002
    package static let tokenEnvironmentVariables = ["SPARK_CONNECT_TOKEN", "SPARK_CONNECT_AUTHENTICATE_TOKEN"]

    /// Host name or address, IPv6 without brackets.
    package var host: String
    package var port: Int
    package var token: String?
    package var useSSL: Bool
    package var userID: String?
    package var userAgent: String?
    package var sessionID: String?
    /// Every parameter as written (decoded), including ones this client does not use.
    package var parameters: [String: String]

    package init(host: String, port: Int = SparkConnectURL.defaultPort, token: String? = nil, useSSL: Bool = false, userID: String? = nil, userAgent: String? = nil, sessionID: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
        self.useSSL = useSSL
        self.userID = userID
        self.userAgent = userAgent
        self.sessionID = sessionID
        self.parameters = [:]
    }

    package init(parsing text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(SparkConnectURLError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("sc://") else { throw .missingScheme(text) }
        let rest = trimmed.dropFirst(5)
        if rest.contains("?") { throw .unsupportedComponent("query ('?')", in: text) }
        if rest.contains("#") { throw .unsupportedComponent("fragment ('#')", in: text) }

        let authority: Substring
        var parameterText: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard path.first == ";" else { throw .nonEmptyPath("/" + path) }
                parameterText = path.dropFirst()
            }
        } else {
            authority = rest
        }
        if authority.contains("@") { throw .unsupportedComponent("user name ('@')", in: text) }
        if authority.contains(";") { throw .nonEmptyPath(String(authority[authority.firstIndex(of: ";")!...])) }

        let (host, port) = try Self.splitAuthority(authority, text: text)
        self.init(host: host, port: port)

        for pair in parameterText.split(separator: ";", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty else { throw .malformedParameter(String(pair)) }
            let key = try Self.percentDecoded(parts[0])
            let value = try Self.percentDecoded(parts[1])
            parameters[key] = value
        }

        token = parameters["token"] ?? Self.tokenEnvironmentVariables.lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        if let ssl = parameters["use_ssl"] {
            switch ssl.lowercased() {
            case "true": useSSL = true
            case "false": useSSL = false
            default: throw .invalidBoolean(parameter: "use_ssl", value: ssl)
            }
        }
        userID = parameters["user_id"]
        userAgent = parameters["user_agent"]
        if let session = parameters["session_id"] {
            guard UUID(uuidString: session) != nil else { throw .invalidSessionID(session) }
            sessionID = session.lowercased()
        }
    }

    /// Whether the connection uses TLS.
    ///
    /// Spark's spec makes a token imply TLS, so a bearer token never crosses the network in the
    /// clear; like pyspark, a loopback host is the exception (there is no network to cross).
    package var usesTLS: Bool {
        useSSL || (token != nil && !isLoopback)
    }

    package var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// `host:port`, with brackets around an IPv6 address; what error messages name.
    package var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The URL without its token, safe to print or log.
    package var description: String {
        var text = "sc://\(endpoint)"
        let shown = parameters.filter { $0.key != "token" }.sorted { $0.key < $1.key }
        if !shown.isEmpty {
            text += "/;" + shown.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
        }
        return text
    }

    // MARK: - Parsing

    private static func splitAuthority(_ authority: Substring, text: String) throws(SparkConnectURLError) -> (String, Int) {
        let host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .missingHost(text) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw .invalidPort(String(after)) }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { throw .missingHost(text) }
        guard let portText else { return (String(host), defaultPort) }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCIIDigit), portText.count <= 5,
              let port = Int(portText), (1...65535).contains(port)
        else { throw .invalidPort(String(portText)) }
        return (String(host), port)
    }

    private static func percentDecoded(_ text: Substring) throws(SparkConnectURLError) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let byte = utf8.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard utf8.count >= 2,
                  let high = hexValue(utf8[utf8.startIndex]),
                  let low = hexValue(utf8[utf8.index(after: utf8.startIndex)])
            else { throw .invalidPercentEncoding(String(text)) }
            bytes.append(high << 4 | low)
            utf8 = utf8.dropFirst(2)
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else { throw .invalidPercentEncoding(String(text)) }
        return decoded
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
