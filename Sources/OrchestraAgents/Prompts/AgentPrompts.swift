public import Foundation
import OrchestraAPI

/// System prompts by role: the built-in ones of ``AgentRole``, optionally overridden or extended
/// from a JSON file (`AGENT_PROMPTS_FILE`).
///
/// Role names are matched ignoring case and surrounding whitespace. In the file, the key
/// `default` replaces the generic prompt used for roles that have none.
public struct AgentPrompts: Sendable, Hashable {
    /// Prompts by normalised (lowercased, trimmed) role name.
    public private(set) var prompts: [String: String]
    /// The prompt for roles not in ``prompts``.
    public var genericPrompt: String

    /// The key in a prompts file that replaces ``genericPrompt``.
    public static let genericKey = "default"

    /// The built-in prompts of the five known roles and the generic assistant prompt.
    public static let builtIn = AgentPrompts(
        prompts: Dictionary(uniqueKeysWithValues: AgentRole.allCases.map { ($0.rawValue, $0.defaultSystemPrompt) }),
        genericPrompt: AgentRole.genericSystemPrompt
    )

    /// Creates prompts from a role-to-prompt map and a generic prompt.
    public init(prompts: [String: String], genericPrompt: String) {
        self.prompts = Dictionary(prompts.map { (Self.normalize($0.key), $0.value) }, uniquingKeysWith: { _, last in last })
        self.genericPrompt = genericPrompt
    }

    /// The system prompt for `role`: its own, or the generic one.
    public func systemPrompt(for role: String) -> String {
        prompts[Self.normalize(role)] ?? genericPrompt
    }

    /// Sets the prompt of `role` (the role name ``genericKey`` sets the generic prompt).
    public mutating func setPrompt(_ prompt: String, for role: String) {
        let key = Self.normalize(role)
        if key == Self.genericKey {
            genericPrompt = prompt
        } else {
            prompts[key] = prompt
        }
    }

    /// The built-in prompts with those of a JSON object `{"frontend": "...", "default": "..."}` laid over them.
    public static func decode(_ data: Data) throws(AgentPromptsError) -> AgentPrompts {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw AgentPromptsError(.invalidJSON)
        }
        guard let members = value.objectValue else { throw AgentPromptsError(.notAnObject) }
        var result = AgentPrompts.builtIn
        for key in members.keys.sorted() {
            guard let prompt = members[key]?.stringValue else { throw AgentPromptsError(.notAString(role: key)) }
            guard !prompt.allSatisfy(\.isWhitespace) else { throw AgentPromptsError(.empty(role: key)) }
            result.setPrompt(prompt, for: key)
        }
        return result
    }

    /// Loads ``decode(_:)`` from the file at `path`.
    public static func load(path: String) throws(AgentPromptsError) -> AgentPrompts {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw AgentPromptsError(.unreadable, path: path)
        }
        do {
            return try decode(data)
        } catch {
            throw AgentPromptsError(error.code, path: path)
        }
    }

    private static func normalize(_ role: String) -> String {
        AgentRole.normalize(role)
    }
}
