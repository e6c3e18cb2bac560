/// A provider setting in the environment that cannot be used. The message names the variable and never
/// quotes a key or a URL (which may carry credentials).
public struct ProviderConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The variable at fault, for example `ECHO_LATENCY_MS`.
    public let variable: String
    /// What is wrong with it.
    public let message: String

    /// Creates an error.
    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    /// `VARIABLE: message`.
    public var description: String {
        "\(self.variable): \(self.message)"
    }
}
