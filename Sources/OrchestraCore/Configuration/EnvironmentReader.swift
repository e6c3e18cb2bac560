import Logging

/// Typed reads of environment variables; empty values count as unset.
struct EnvironmentReader {
    var environment: [String: String]

    func string(_ name: String) -> String? {
        guard let value = environment[name]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, expected: "an integer in \(range.lowerBound)...\(range.upperBound)", value: text)
        }
        return value
    }

    func seconds(_ name: String, upTo limit: Double) throws(ConfigurationError) -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite, value > 0, value <= limit else {
            throw ConfigurationError(variable: name, expected: "a number of seconds greater than 0 and at most \(Int(limit))", value: text)
        }
        return value
    }

    func bool(_ name: String) throws(ConfigurationError) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ConfigurationError(variable: name, expected: "true, false, 1, 0, yes or no", value: text)
        }
    }

    func logLevel(_ name: String) throws(ConfigurationError) -> Logger.Level? {
        guard let text = string(name) else { return nil }
        switch text.uppercased() {
        case "TRACE": return .trace
        case "DEBUG": return .debug
        case "INFO": return .info
        case "NOTICE": return .notice
        case "WARNING", "WARN": return .warning
        case "ERROR": return .error
        case "CRITICAL", "FATAL": return .critical
        default:
            throw ConfigurationError(variable: name, expected: "one of TRACE, DEBUG, INFO, NOTICE, WARNING, ERROR, CRITICAL", value: text)
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
