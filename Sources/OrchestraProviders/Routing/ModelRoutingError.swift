/// A task's `llm_model` that cannot be served: the gateway answers 422 with ``description``.
///
/// The message names the model and, for a provider without configuration, the variable to set.
/// It never contains a key.
public struct ModelRoutingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the model cannot be served.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: Sendable, Hashable {
            case invalidModel, unknownProvider, providerNotConfigured
        }

        fileprivate let base: Base

        /// The model name is empty or has an empty part (`openai/`).
        public static let invalidModel = Code(base: .invalidModel)
        /// No provider matches the model's family or its `provider/` prefix.
        public static let unknownProvider = Code(base: .unknownProvider)
        /// The provider exists but its key or base URL is not set.
        public static let providerNotConfigured = Code(base: .providerNotConfigured)

        /// `invalid_model`, `unknown_provider` or `provider_not_configured`.
        public var description: String {
            switch self.base {
            case .invalidModel: "invalid_model"
            case .unknownProvider: "unknown_provider"
            case .providerNotConfigured: "provider_not_configured"
            }
        }
    }

    /// Why the model cannot be served.
    public let code: Code
    /// The model as the task gave it.
    public let model: String
    /// A sentence for the client.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, model: String, message: String) {
        self.code = code
        self.model = model
        self.message = message
    }

    /// The message.
    public var description: String { self.message }
}
