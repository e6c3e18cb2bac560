/// An agent prompts file could not be used.
public struct AgentPromptsError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: Hashable, Sendable {
        case unreadable
        case invalidJSON
        case notAnObject
        case notAString(role: String)
        case empty(role: String)
    }

    let code: Code
    /// The file, when loaded from one.
    public let path: String?

    init(_ code: Code, path: String? = nil) {
        self.code = code
        self.path = path
    }

    /// What went wrong and where.
    public var description: String {
        let source = path.map { "agent prompts file '\($0)'" } ?? "agent prompts"
        switch code {
        case .unreadable: return "\(source): cannot be read"
        case .invalidJSON: return "\(source): not valid JSON"
        case .notAnObject: return "\(source): expected a JSON object of role names to prompt strings"
        case .notAString(let role): return "\(source): the prompt for role '\(role)' is not a string"
        case .empty(let role): return "\(source): the prompt for role '\(role)' is empty"
        }
    }
}
