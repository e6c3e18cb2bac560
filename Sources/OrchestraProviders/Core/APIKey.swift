/// A provider API key that never prints itself.
///
/// `description`, `debugDescription` and `dump` show `[redacted]`, so a configuration or provider that
/// ends up in a log line or an error does not carry the key with it. Only ``value`` reveals it, for the
/// request header.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The key itself; read it only to build the authentication header.
    public let value: String

    /// Wraps a key.
    public init(_ value: String) {
        self.value = value
    }

    /// Always `[redacted]`.
    public var description: String { "[redacted]" }
    /// Always `[redacted]`.
    public var debugDescription: String { "[redacted]" }
    /// A mirror without children, so `dump` shows nothing of the key.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
