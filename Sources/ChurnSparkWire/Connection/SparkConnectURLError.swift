/// Why a Spark Connect connection string was refused; each description names the part at fault.
package enum SparkConnectURLError: Error, Equatable, CustomStringConvertible {
    case missingScheme(String)
    case missingHost(String)
    case invalidPort(String)
    case unsupportedComponent(String, in: String)
    case nonEmptyPath(String)
    case malformedParameter(String)
    case invalidPercentEncoding(String)
    case invalidBoolean(parameter: String, value: String)
    case invalidSessionID(String)

    static let expectedForm = "expected sc://host:port[/;param=value;...]"

    package var description: String {
        switch self {
        case .missingScheme(let text):
            return "'\(text)' is not a Spark Connect URL: \(Self.expectedForm)"
        case .missingHost(let text):
            return "'\(text)' has no host name: \(Self.expectedForm)"
        case .invalidPort(let port):
            return "port '\(port)' is not a number from 1 to 65535: \(Self.expectedForm)"
        case .unsupportedComponent(let component, let text):
            return "'\(text)' has a \(component), which Spark Connect URLs do not allow: \(Self.expectedForm)"
        case .nonEmptyPath(let path):
            return "the path '\(path)' must be empty; parameters follow '/;': \(Self.expectedForm)"
        case .malformedParameter(let parameter):
            return "parameter '\(parameter)' is not key=value (percent-encode '=' and ';' in values): \(Self.expectedForm)"
        case .invalidPercentEncoding(let text):
            return "'\(text)' has a '%' not followed by two hex digits"
        case .invalidBoolean(let parameter, let value):
            return "parameter \(parameter)='\(value)' must be true or false"
        case .invalidSessionID(let value):
            return "session_id '\(value)' must be a UUID such as 00112233-4455-6677-8899-aabbccddeeff"
        }
    }
}
