import ArgumentParser
import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraClient

/// `orchestra patterns`: the pre-built workflow patterns, through the gateway.
struct PatternsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns", abstract: "List or run the pre-built workflow patterns.",
        subcommands: [List.self, Run.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the patterns and their parameters.")

        @OptionGroup var client: ClientOptions

        func run() async throws {
            let reply = try await client.makeClient().request(.GET, "/patterns")
            guard reply.status == 200, let patterns = reply.json?.arrayValue else {
                throw GatewayClient.Failure(status: reply.status, body: reply.text)
            }
            for pattern in patterns {
                let required = pattern["parameters"]?["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
                print("\(pattern["name"]?.stringValue ?? "?")  (\(required.joined(separator: ", ")))")
                print("    \(pattern["description"]?.stringValue ?? "")")
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run", abstract: "Instantiate a pattern (POST /patterns/{name}) and wait for its results.")

        @OptionGroup var client: ClientOptions

        @Argument(help: "The pattern, e.g. code-review.")
        var name: String

        @Argument(help: "Parameters as name=value, e.g. language=swift code=@file.swift (@ reads a file).")
        var parameters: [String] = []

        @Flag(help: "Print the workflow id and return without waiting.")
        var noWait = false

        func run() async throws {
            var body: JSONObject = [:]
            for parameter in parameters {
                guard let separator = parameter.firstIndex(of: "=") else {
                    throw ValidationError("parameter \(parameter) is not name=value")
                }
                let value = String(parameter[parameter.index(after: separator)...])
                body[String(parameter[..<separator])] =
                    .string(value.hasPrefix("@") ? try String(contentsOfFile: String(value.dropFirst()), encoding: .utf8) : value)
            }
            let gateway = client.makeClient()
            let reply = try await gateway.request(.POST, "/patterns/\(name)", body: Data(JSONValue.object(body).compactJSONString.utf8))
            guard reply.status == 200 else { throw GatewayClient.Failure(status: reply.status, body: reply.text) }
            let accepted = try JSONDecoder().decode(WorkflowStatus.self, from: reply.body)
            if noWait {
                print(accepted.workflowId)
                return
            }
            print(StatusReport.describe(try await gateway.waitForCompletion(accepted.workflowId)))
        }
    }
}
