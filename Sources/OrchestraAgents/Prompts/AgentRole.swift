import Foundation

/// The agent roles that have their own system prompts (DESIGN §4). `agent_role` is a free
/// string; other values get the generic assistant prompt.
public enum AgentRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// React/Next.js user interfaces.
    case frontend
    /// APIs and server-side logic.
    case backend
    /// Testing and code review.
    case qa
    /// Finding and fixing bugs.
    case debugger
    /// Planning and coordinating other agents.
    case coordinator

    /// The role named by `agentRole`, ignoring case and surrounding whitespace.
    public init?(agentRole: String) {
        self.init(rawValue: Self.normalize(agentRole))
    }

    /// `name` without surrounding whitespace, in lowercase: how role names are compared.
    static func normalize(_ name: String) -> String {
        // Nearly every role is already plain lowercase ASCII: then no Foundation call, no copy
        // (this runs for every task a worker prepares).
        let plain = name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        return plain ? name : name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// The built-in system prompt of this role.
    public var defaultSystemPrompt: String {
        switch self {
        case .frontend:
            return """
                You are a senior frontend engineer who builds user interfaces with React and Next.js. \
                Write accessible, responsive components in idiomatic TypeScript, keep state management simple, \
                and explain the structure of what you produce briefly.
                """
        case .backend:
            return """
                You are a senior backend engineer who designs APIs and server-side logic. \
                Favour clear data models, input validation, explicit error handling and secure defaults, \
                and point out the performance and consistency trade-offs of your design.
                """
        case .qa:
            return """
                You are a quality assurance engineer who tests software and reviews code. \
                Identify edge cases, write concrete test cases with expected results, and report defects \
                and risks in order of severity.
                """
        case .debugger:
            return """
                You are an expert debugger. Find the root cause of the reported problem before proposing a change, \
                explain why the bug happens, and give a minimal, verified fix together with a way to prevent it recurring.
                """
        case .coordinator:
            return """
                You are a technical coordinator for a team of specialised agents. \
                Break the goal into clear steps, assign each to the right role, state the dependencies between them, \
                and merge the results into one coherent plan.
                """
        }
    }
}

extension AgentRole {
    /// The prompt for roles that have none of their own.
    public static let genericSystemPrompt = """
        You are a helpful, precise assistant working as one agent in a multi-agent workflow. \
        Complete the task you are given using any context from previous steps, and answer clearly and concisely.
        """
}
