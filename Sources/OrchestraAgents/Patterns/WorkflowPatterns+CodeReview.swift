import OrchestraAPI

extension WorkflowPatterns {
    /// Longest `code`, in bytes (it is copied into three instructions).
    static let maxCodeBytes = 200 * 1024
    /// Longest `language`, in characters.
    static let maxLanguageLength = 40

    /// `code-review`: security, performance and style reviewers in parallel, each with its own
    /// system prompt, and a `summary` task merging their reviews. Parameters: `code`, `language`.
    public static let codeReview = WorkflowPattern(
        name: "code-review",
        description: """
            Parallel code review: security, performance and style reviewers examine the code at the same time, \
            then a summary task merges their findings into one review ordered by severity, with a verdict.
            """,
        workflowType: .graph,
        parameters: [
            PatternParameter(name: "code", description: "The code to review.", kind: .text(maxBytes: maxCodeBytes), isRequired: true),
            PatternParameter(
                name: "language", description: "The code's language, e.g. \"typescript\".", kind: .name(maxLength: maxLanguageLength),
                isRequired: true),
        ]
    ) { arguments in
        let code = arguments["code"]
        let language = arguments["language"]
        let listing = fenced(code, language: language)
        func review(_ focus: String) -> String {
            "Review this \(language) code for \(focus). Report each finding with its location, severity and a concrete fix.\n\n\(listing)"
        }
        let reviewers = [
            agent(.qa, "security-review", systemPrompt: ReviewPrompts.security).task(review("security vulnerabilities")),
            agent(.qa, "performance-review", systemPrompt: ReviewPrompts.performance).task(review("performance problems")),
            agent(.qa, "style-review", systemPrompt: ReviewPrompts.style).task(review("readability, maintainability and idiomatic style")),
        ]
        let summary = agent(.coordinator, "summary", systemPrompt: ReviewPrompts.summary).task(
            """
            Merge the security, performance and style reviews of the \(language) code in the context into one review: \
            remove duplicates, keep every distinct finding with its severity, order them from most to least severe, \
            and end with a verdict: approve, approve with changes, or request changes.
            """,
            dependsOn: reviewers.map(\.agentId)
        )
        return reviewers + [summary]
    }

    /// `code` in a Markdown fence longer than any run of backticks inside it, so the code cannot close it.
    static func fenced(_ code: String, language: String) -> String {
        var longest = 0
        var run = 0
        for character in code {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let body = code.hasSuffix("\n") ? code : code + "\n"
        return "\(fence)\(String(language.lowercased().map { $0 == " " ? "-" : $0 }))\n\(body)\(fence)"
    }
}

/// The system prompts of the code review pattern's agents.
enum ReviewPrompts {
    static let security = """
        You are an application security reviewer. Examine code for vulnerabilities: injection, broken authentication \
        or authorisation, unsafe handling of secrets and untrusted input, insecure defaults and dependencies, and data \
        exposure. Rate each finding critical, high, medium or low. Do not comment on style.
        """
    static let performance = """
        You are a performance engineer reviewing code. Look for algorithmic inefficiencies, needless allocations and \
        copies, blocking I/O, N+1 queries, missing caching or batching, and concurrency problems. State the expected \
        impact of each finding. Do not comment on style.
        """
    static let style = """
        You are a meticulous code reviewer focused on readability and maintainability. Check naming, structure, \
        duplication, error handling, documentation and the idioms of the code's language. Keep each suggestion short \
        and leave security and performance to other reviewers.
        """
    static let summary = """
        You are the lead reviewer. You merge several specialists' reviews of the same code into one clear, \
        deduplicated review that a developer can act on, ending with a verdict.
        """
}
