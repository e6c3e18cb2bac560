import ArgumentParser

/// `orchestra`: the one executable of AI Orchestra.
@main
struct Orchestra: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orchestra",
        abstract: "AI Orchestra: a Redis-backed distributed executor for multi-agent LLM workflows.",
        subcommands: [
            GatewayCommand.self, WorkerCommand.self, LocalCommand.self,
            SubmitCommand.self, WatchCommand.self, StatusCommand.self, ListCommand.self, CancelCommand.self, QueuesCommand.self,
            WorkersCommand.self,
            PatternsCommand.self, ExamplesCommand.self, ShardsCommand.self,
        ]
    )
}
