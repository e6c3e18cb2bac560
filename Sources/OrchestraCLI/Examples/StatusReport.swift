import OrchestraAPI

/// Human-readable summaries of workflow statuses for the CLI.
enum StatusReport {
    /// A few lines per workflow: its status, then each task with its timing and the start of its output.
    static func describe(_ status: WorkflowStatus, outputCharacters: Int = 160) -> String {
        var lines = ["workflow \(status.workflowId) [\(status.workflowType.rawValue)] \(status.status.rawValue)"]
        for task in status.tasks {
            let timing = [task.startedAt.map { "started \($0)" }, task.completedAt.map { "done \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            lines.append("  \(task.agentId) (\(task.agentRole)) \(task.status.rawValue)\(timing.isEmpty ? "" : " — \(timing)")")
            if let output = task.result?["output"]?.stringValue {
                let flat = output.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ")
                let shown = flat.count > outputCharacters ? flat.prefix(outputCharacters) + "…" : Substring(flat)
                let source = [task.result?["provider"]?.stringValue, task.result?["model"]?.stringValue].compactMap { $0 }.joined(
                    separator: "/")
                lines.append("    → [\(source)] \(shown)")
            }
            if let error = task.error { lines.append("    ✗ \(error)") }
        }
        return lines.joined(separator: "\n")
    }
}
