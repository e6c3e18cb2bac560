import ArgumentParser
import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraClient

/// `orchestra submit FILE`: submit a workflow JSON file (or `-` for standard input).
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Submit a workflow (POST /run-graph).")

    @OptionGroup var client: ClientOptions

    @Argument(help: "Workflow JSON file, or - for standard input.")
    var file: String

    @Flag(help: "Wait until the workflow finishes and print its results.")
    var wait = false

    @Flag(help: "Follow the workflow live until it ends, as `orchestra watch` does (exit status 0 only if it completes).")
    var watch = false

    @Flag(help: "With --watch: plain lines even on a terminal.")
    var plain = false

    func run() async throws {
        let body = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
        let gateway = client.makeClient()
        let accepted = try await gateway.submit(body)
        if watch {
            try await WatchCommand.watch(accepted.workflowId, on: gateway, plain: plain)
            return
        }
        guard wait else {
            print(accepted.workflowId)
            return
        }
        print(StatusReport.describe(try await gateway.waitForCompletion(accepted.workflowId)))
    }
}

/// `orchestra status ID`: print a workflow's status.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a workflow (GET /status/{id}).")

    @OptionGroup var client: ClientOptions

    @Argument(help: "The workflow id.")
    var workflowID: String

    @Option(help: "Long-poll up to this many seconds for a terminal status.")
    var wait: Int?

    @Flag(help: "Print the raw JSON.")
    var json = false

    func run() async throws {
        let gateway = client.makeClient()
        if json {
            let reply = try await gateway.request(.GET, "/status/\(workflowID)\(wait.map { "?wait=\($0)" } ?? "")")
            print(reply.text)
            if reply.status != 200 { throw ExitCode.failure }
            return
        }
        print(StatusReport.describe(try await gateway.status(workflowID, wait: wait)))
    }
}

/// `orchestra list`: list workflows, newest first.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List workflows (GET /workflows).")

    @OptionGroup var client: ClientOptions

    @Option(help: "Only workflows with this status.")
    var status: String?

    @Option(help: "At most this many (1...1000).")
    var limit = 20

    func run() async throws {
        var query = "?limit=\(limit)"
        if let status { query += "&status=\(status)" }
        let reply = try await client.makeClient().request(.GET, "/workflows\(query)")
        guard reply.status == 200 else { throw GatewayClient.Failure(status: reply.status, body: reply.text) }
        for workflow in try JSONDecoder().decode([WorkflowStatus].self, from: reply.body) {
            let done = workflow.tasks.filter { $0.status.isTerminal }.count
            print(
                "\(workflow.workflowId)  \(workflow.status.rawValue)  \(workflow.workflowType.rawValue)  \(done)/\(workflow.tasks.count) tasks  \(workflow.createdAt)"
            )
        }
    }
}

/// `orchestra cancel ID`: cancel and delete a workflow.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel and delete a workflow (DELETE /workflows/{id}).")

    @OptionGroup var client: ClientOptions

    @Argument(help: "The workflow id.")
    var workflowID: String

    func run() async throws {
        let reply = try await client.makeClient().request(.DELETE, "/workflows/\(workflowID)")
        print(reply.text)
        if reply.status != 200 { throw ExitCode.failure }
    }
}

/// `orchestra queues`: queue depths per shard.
struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "queues", abstract: "Show queue depths (GET /queues).")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let reply = try await client.makeClient().request(.GET, "/queues")
        print(reply.text)
        if reply.status != 200 { throw ExitCode.failure }
    }
}

/// `orchestra workers`: the workers alive, as they last reported (`GET /workers`).
struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "workers", abstract: "List the workers alive (GET /workers).")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let reply = try await client.makeClient().request(.GET, "/workers")
        guard reply.status == 200, let workers = reply.json?["workers"]?.arrayValue else {
            throw GatewayClient.Failure(status: reply.status, body: reply.text)
        }
        print("\(workers.count) worker(s)")
        for worker in workers {
            let state = worker["draining"]?.boolValue == true ? "draining" : "active"
            let inFlight = worker["in_flight"]?.intValue ?? 0
            let concurrency = worker["concurrency"]?.intValue ?? 0
            print(
                "  \(worker["id"]?.stringValue ?? "?")  \(state)  \(inFlight)/\(concurrency) running  "
                    + "version \(worker["version"]?.stringValue ?? "?")  last claim \(worker["last_claim_at"]?.stringValue ?? "never")")
        }
    }
}

/// `orchestra examples`: run the seed README's example workflows and print their results.
struct ExamplesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "examples", abstract: "Submit the seed's example workflows, wait for them, print their results.")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await Self.runAll(on: client.makeClient())
    }

    /// Submits every example at once, then prints each result; throws when one did not complete.
    static func runAll(on gateway: GatewayClient) async throws {
        var accepted: [(SeedExamples.Example, String)] = []
        for example in SeedExamples.all {
            accepted.append((example, try await gateway.submit(Data(example.body.utf8)).workflowId))
        }
        var incomplete: [String] = []
        for (example, id) in accepted {
            let status = try await gateway.waitForCompletion(id)
            print("── \(example.name)")
            print(StatusReport.describe(status))
            if status.status != .completed { incomplete.append(example.name) }
        }
        if !incomplete.isEmpty {
            print("not completed: \(incomplete.joined(separator: ", "))")
            throw ExitCode.failure
        }
    }
}
