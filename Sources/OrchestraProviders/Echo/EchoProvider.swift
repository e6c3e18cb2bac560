import OrchestraAPI
import OrchestraAgents

/// The offline provider: answers deterministically without any network, so the whole system runs on a
/// fresh machine and tests of scheduling need no model.
///
/// The answer names the role, the instruction and the dependency ids it received, for example
/// `[echo] qa agent handled: Write tests. Inputs from: backend, frontend.` It is at most
/// ``maximumOutputBytes`` long (the instruction is truncated). Usage counts words, so it is
/// deterministic too.
///
/// With ``latency`` it streams the answer word by word over that time.
///
/// Asked for a plan (``LLMRequest/ResponseFormat/coordinatorPlan``), it answers with a valid
/// ``CoordinatorPlan`` in a fenced JSON block: `<agent_id>-frontend` and `<agent_id>-backend` in
/// parallel, then `<agent_id>-qa` after both, each instructed with the request's instruction, so
/// delegation runs end to end offline.
public struct EchoProvider: LLMProvider {
    /// The upper bound on the answer's UTF-8 size.
    public static let maximumOutputBytes = 2048
    static let maximumInstructionCharacters = 1500
    static let maximumListedDependencies = 32

    /// `echo`.
    public let name = "echo"
    /// How long each call pretends to think (`ECHO_LATENCY_MS`); cancelling the caller ends it early.
    public let latency: Duration

    /// Creates the provider.
    public init(latency: Duration = .zero) {
        self.latency = latency
    }

    /// Answers after ``latency``; throws `CancellationError` if the caller is cancelled meanwhile,
    /// and a timeout after the request's timeout when ``latency`` is longer.
    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        try await self.complete(request) { _ in }
    }

    /// Streams the answer word by word, spread evenly over ``latency`` (in one piece when there is
    /// no latency), so token events can be watched without a model.
    public func complete(_ request: LLMRequest, onText: @escaping @Sendable (String) async -> Void) async throws -> LLMResponse {
        if self.latency > request.timeout {
            try await Task.sleep(for: request.timeout)
            throw ProviderError(.timeout, provider: name, message: "no answer within \(request.timeout) (ECHO_LATENCY_MS is longer)")
        }
        try Task.checkCancellation()
        let text = request.responseFormat == .coordinatorPlan ? Self.plan(for: request) : Self.answer(to: request)
        if self.latency > .zero {
            let pieces = Self.words(of: text)
            let pause = self.latency / max(pieces.count, 1)
            for piece in pieces {
                try await Task.sleep(for: pause)
                await onText(piece)
            }
        } else if !text.isEmpty {
            await onText(text)
        }
        let usage = TokenUsage(
            promptTokens: Self.wordCount(request.systemPrompt) + Self.wordCount(request.userPrompt),
            completionTokens: Self.wordCount(text)
        )
        return LLMResponse(text: text, provider: self.name, model: "echo", usage: usage)
    }

    /// The text cut after each run of whitespace: `"a b  c"` is `["a ", "b  ", "c"]`.
    static func words(of text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            if !character.isWhitespace, current.last?.isWhitespace == true {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// The deterministic answer for a request.
    static func answer(to request: LLMRequest) -> String {
        let role = request.agentRole.map(Self.singleLine).flatMap { $0.isEmpty ? nil : String($0.prefix(64)) }
        var instruction = Self.singleLine(request.instruction ?? request.userPrompt)
        if instruction.count > Self.maximumInstructionCharacters {
            instruction = String(instruction.prefix(Self.maximumInstructionCharacters)) + "…"
        }
        var text = "[echo] \(role.map { "\($0) agent" } ?? "agent") handled: \(instruction)"
        if !text.hasSuffix(".") { text += "." }
        if !request.dependencyIDs.isEmpty {
            let listed = request.dependencyIDs.prefix(Self.maximumListedDependencies).map { String(Self.singleLine($0).prefix(64)) }
            let more = request.dependencyIDs.count - listed.count
            text += " Inputs from: \(listed.joined(separator: ", "))\(more > 0 ? " and \(more) more" : "")."
        }
        return Self.bounded(text)
    }

    /// The deterministic plan for a delegating request, within ``maximumOutputBytes``.
    static func plan(for request: LLMRequest) -> String {
        var prefix = request.agentID.flatMap { IdentifierSyntax.isValid($0) ? $0 : nil } ?? "agent"
        prefix = String(prefix.prefix(IdentifierSyntax.maxLength - "-frontend".count))
        let objective = Self.singleLine(request.instruction ?? request.userPrompt)
        var budget = 400
        while true {
            let shown = objective.utf8.count > budget ? Self.prefix(objective, bytes: budget) + "…" : objective
            let text = Self.planText(prefix: prefix, objective: shown.isEmpty ? "the objective" : shown)
            if text.utf8.count <= Self.maximumOutputBytes || budget == 0 { return text }
            budget /= 2
        }
    }

    private static func planText(prefix: String, objective: String) -> String {
        func subtask(_ role: String, _ instruction: String, after: [String] = []) -> JSONValue {
            [
                "agent_id": .string("\(prefix)-\(role)"), "agent_role": .string(role), "task": .string(instruction),
                "depends_on": .array(after.map { .string("\(prefix)-\($0)") }),
            ]
        }
        let plan: JSONValue = [
            "subtasks": [
                subtask("frontend", "Build the user interface for: \(objective)"),
                subtask("backend", "Build the API and server-side logic for: \(objective)"),
                subtask("qa", "Test the user interface and the API together for: \(objective)", after: ["frontend", "backend"]),
            ],
            "synthesis": .string("Merge the interface, the API and the test report into one delivery for: \(objective)"),
        ]
        return "[echo] coordinator plan:\n```json\n\(plan.compactJSONString)\n```"
    }

    private static func prefix(_ text: String, bytes limit: Int) -> String {
        var result = ""
        var size = 0
        for character in text {
            size += character.utf8.count
            if size > limit { break }
            result.append(character)
        }
        return result
    }

    /// The words of `text` joined by single spaces. Works on Unicode scalars, not characters:
    /// prompts run to thousands of words, and the echo provider is what the benchmarks measure
    /// the orchestration with, so it should cost little itself.
    private static func singleLine(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }

    private static func bounded(_ text: String) -> String {
        guard text.utf8.count > Self.maximumOutputBytes else { return text }
        var result = ""
        var size = 0
        for character in text {
            size += character.utf8.count
            if size > Self.maximumOutputBytes - 3 { break }
            result.append(character)
        }
        return result + "…"
    }

    /// Runs of non-whitespace in `text` (by Unicode scalar, as ``singleLine(_:)``).
    private static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            let isSpace = scalar.properties.isWhitespace
            if !isSpace, !inWord { count += 1 }
            inWord = !isSpace
        }
        return count
    }
}
