import ArgumentParser
import OrchestraAPI
import OrchestraClient

/// `orchestra watch ID`: follow a workflow live until it ends.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow a workflow live (GET /workflows/{id}/events): task states, streamed tokens, a final summary.",
        discussion: """
            On a terminal it draws a live view with a progress bar; otherwise (or with --plain) it prints a line per \
            task state change and per token event. Exits 0 when the workflow completes, 1 when it fails, ends \
            partially or is cancelled.
            """
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The workflow id.")
    var workflowID: String

    @Flag(help: "Plain lines even on a terminal.")
    var plain = false

    func run() async throws {
        try await Self.watch(workflowID, on: client.makeClient(), plain: plain)
    }

    /// Follows `id` to its end with the view stdout calls for; throws `ExitCode.failure` unless
    /// it completed.
    static func watch(_ id: String, on gateway: GatewayClient, plain: Bool) async throws {
        // The task list and roles come from the status; a workflow already gone has only its events.
        var model = (try? await gateway.status(id)).map(WatchModel.init(status:)) ?? WatchModel(workflowID: id)
        var view: any WatchView = plain || !Terminal.isInteractive ? PlainWatchView() : LiveWatchView()
        let terminal = try await EventFollower(gateway: gateway, workflowID: id).follow { event in
            let lines = model.apply(event)
            view.show(model, lines: lines)
        }
        view.finish(model)
        if terminal.type != "workflow.completed" { throw ExitCode.failure }
    }
}
