import OrchestraAPI

/// How `orchestra watch` shows a workflow: plain lines, or a live view on a terminal.
protocol WatchView {
    /// Shows the effect of one event; `lines` are its plain-output lines.
    mutating func show(_ model: WatchModel, lines: [String])
    /// Shows the end: the final state and the summary.
    mutating func finish(_ model: WatchModel)
}

/// One line per state change and per token event, for logs and pipes.
struct PlainWatchView: WatchView {
    func show(_ model: WatchModel, lines: [String]) {
        for line in lines { Terminal.write(line + "\n") }
    }

    func finish(_ model: WatchModel) {
        Terminal.write(model.summary.joined(separator: "\n") + "\n")
    }
}

/// A block redrawn in place (at most ten times a second): the workflow with a progress bar, then a
/// line per task with its state and, while it runs, the end of the text it is streaming.
struct LiveWatchView: WatchView {
    private var drawnLines = 0
    private var lastDraw: ContinuousClock.Instant?

    mutating func show(_ model: WatchModel, lines: [String]) {
        let now = ContinuousClock.now
        if let lastDraw, now - lastDraw < .milliseconds(100) { return }
        lastDraw = now
        draw(model)
    }

    mutating func finish(_ model: WatchModel) {
        draw(model)
        Terminal.write(model.summary.joined(separator: "\n") + "\n")
    }

    private mutating func draw(_ model: WatchModel) {
        let width = max(40, Terminal.width)
        var lines = [Self.header(model, width: width)]
        let idWidth = min(24, model.tasks.map(\.agentID.count).max() ?? 0)
        for task in model.tasks {
            var line = "\(Self.icon(task.state)) \(Self.pad(task.agentID, idWidth))  \(Self.pad(task.state, 9))"
            if task.state == "running", !task.tokens.isEmpty {
                let room = width - line.count - 3
                if room > 8 {
                    let flat = task.tokens.split(whereSeparator: \.isNewline).joined(separator: " ⏎ ")
                    line += "  " + String(flat.suffix(room))
                }
            } else if let error = task.error, task.state != "completed" {
                line += "  " + String(error.prefix(max(0, width - line.count - 3)))
            }
            lines.append(String(line.prefix(width - 1)))
        }
        // Back to the top of the previous frame, clear it, draw the new one.
        var frame = drawnLines > 0 ? "\u{1B}[\(drawnLines)A\r\u{1B}[J" : ""
        frame += lines.joined(separator: "\n") + "\n"
        Terminal.write(frame)
        drawnLines = lines.count
    }

    private static func header(_ model: WatchModel, width: Int) -> String {
        let (done, total) = model.progress
        let barWidth = max(10, min(40, width - 60))
        let filled = total > 0 ? barWidth * done / total : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
        let state = model.outcome ?? (done == 0 && !model.tasks.contains { $0.state == "running" } ? "pending" : "running")
        return "workflow \(model.workflowID) \(model.workflowType ?? "")  [\(bar)] \(done)/\(total)  \(state)"
    }

    private static func icon(_ state: String) -> String {
        switch state {
        case "completed": "✔"
        case "failed": "✘"
        case "running": "●"
        case "retrying": "↻"
        default: "○"
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
    }
}
