/// The offline provider: answers deterministically without any network, so the whole system runs on a
/// fresh machine and tests of scheduling need no model.
///
/// The answer names the role, the instruction and the dependency ids it received, for example
/// `[echo] qa agent handled: Write tests. Inputs from: backend, frontend.` It is at most
/// ``maximumOutputBytes`` long (the instruction is truncated). Usage counts words, so it is
/// deterministic too.
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

    /// Answers after ``latency``; throws `CancellationError` if the caller is cancelled meanwhile.
    public func complete(_ request: LLMRequest) async throws -> LLMResponse {
        if self.latency > .zero {
            try await Task.sleep(for: self.latency)
        } else {
            try Task.checkCancellation()
        }
        let text = Self.answer(to: request)
        let usage = LLMUsage(
            promptTokens: Self.wordCount(request.systemPrompt) + Self.wordCount(request.userPrompt),
            completionTokens: Self.wordCount(text)
        )
        return LLMResponse(text: text, provider: self.name, model: "echo", usage: usage)
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

    private static func singleLine(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
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

    private static func wordCount(_ text: String) -> Int {
        text.split(whereSeparator: \.isWhitespace).count
    }
}
