public import Configuration
public import Logging

/// The one reader of a process's settings: swift-configuration's `ConfigReader` over three
/// providers, in order of precedence: the command line's flags, the process environment, then the
/// `.env` file. Keys are the variables' names (`ORCHESTRATOR_PORT`, `REDIS_URL`, …), whichever
/// provider holds them.
///
/// The `.env` file is parsed by ``DotEnv`` (python-dotenv's rules: quotes, escapes, `export`,
/// errors with a line number), which swift-configuration's own `.env` reader does not follow. The
/// typed reads below parse each value themselves and throw ``ConfigurationError`` naming the
/// variable and what it must be: `ConfigReader`'s optional typed reads would turn a bad value into
/// the default without a word. Empty values count as unset; API keys and URLs that may carry
/// credentials are read as secrets, so the reader's access reporting (`CONFIG_ACCESS_LOG_FILE`)
/// redacts them.
public struct SettingsReader: Sendable {
    /// The reader over the three providers.
    public let config: ConfigReader
    /// Every variable name the providers hold, sorted: `ConfigReader` cannot list keys, and the
    /// per-provider limits (`PROVIDER_RPM_<NAME>`) are found by name.
    public let names: [String]

    /// A reader of `flags` over `environment` over `dotEnv`.
    public init(flags: [String: String] = [:], environment: [String: String], dotEnv: [String: String] = [:]) {
        let layers = [flags, environment, dotEnv]
        config = ConfigReader(providers: layers.map { EnvironmentVariablesProvider(environmentVariables: $0) })
        names = Set(layers.flatMap(\.keys)).sorted()
    }

    /// The trimmed value, or `nil` when unset or blank.
    public func string(_ name: String) -> String? { value(name, isSecret: false) }

    /// A secret (an API key): as ``string(_:)``, redacted in access reports.
    public func secret(_ name: String) -> String? { value(name, isSecret: true) }

    private func value(_ name: String, isSecret: Bool) -> String? {
        guard let value = config.string(forKey: ConfigKey([name]), isSecret: isSecret)?.trimmingWhitespace(), !value.isEmpty else {
            return nil
        }
        return value
    }

    /// An integer within `range`.
    public func integer(_ name: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, expected: "an integer in \(range.lowerBound)...\(range.upperBound)", value: text)
        }
        return value
    }

    /// An integer of at least `minimum`.
    public func integer(_ name: String, atLeast minimum: Int) throws(ConfigurationError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), value >= minimum else {
            throw ConfigurationError(variable: name, expected: "an integer of at least \(minimum)", value: String(text.prefix(32)))
        }
        return value
    }

    /// An `http://` or `https://` URL. The error never repeats the value (URLs may carry credentials).
    public func url(_ name: String) throws(ConfigurationError) -> String? {
        guard let text = secret(name) else { return nil }
        let lowered = text.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), text.count > 8 else {
            throw ConfigurationError(variable: name, expected: "an http:// or https:// URL", value: nil)
        }
        return text
    }

    /// A number of seconds in (0, `limit`].
    public func seconds(_ name: String, upTo limit: Double) throws(ConfigurationError) -> Double? {
        guard let text = string(name) else { return nil }
        guard let value = Double(text), value.isFinite, value > 0, value <= limit else {
            throw ConfigurationError(variable: name, expected: "a number of seconds greater than 0 and at most \(Int(limit))", value: text)
        }
        return value
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
    public func bool(_ name: String) throws(ConfigurationError) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ConfigurationError(variable: name, expected: "true, false, 1, 0, yes or no", value: text)
        }
    }

    /// A log level name (`INFO`, `debug`, …).
    public func logLevel(_ name: String) throws(ConfigurationError) -> Logger.Level? {
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
    public func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
