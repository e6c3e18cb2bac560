import ArgumentParser
import OrchestraAPI
import OrchestraConfig
import OrchestraRedis
import OrchestraScheduler

/// `orchestra shards`: the shard count recorded in Redis, and moving the data to another one.
struct ShardsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shards", abstract: "Show the shard count recorded in Redis, or migrate the data to another count.",
        subcommands: [Show.self, Migrate.self], defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the recorded shard count.")

        @OptionGroup var common: CommonOptions

        func run() async throws {
            let runtime = try Runtime(envFile: common.envFile, overrides: common.overrides, label: "orchestra.shards")
            let redis = try runtime.makeRedisClient(name: "orchestra-shards")
            defer { redis.shutdown() }
            let recorded = try await ShardMigration(redis: redis, prefix: runtime.configuration.keyPrefix).recordedShards()
            print(
                recorded.map { "\($0) shards recorded; ORCHESTRA_SHARDS is \(runtime.configuration.shards)" }
                    ?? "no shard count recorded yet")
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Move every workflow to its place under another shard count and record it.",
            discussion: "Stop every gateway and worker first; start them again with ORCHESTRA_SHARDS set to the new count.")

        @OptionGroup var common: CommonOptions

        @Option(help: "The new shard count (1...1024).")
        var to: Int

        func run() async throws {
            let runtime = try Runtime(envFile: common.envFile, overrides: common.overrides, label: "orchestra.shards")
            let redis = try runtime.makeRedisClient(name: "orchestra-shards")
            defer { redis.shutdown() }
            let report = try await ShardMigration(redis: redis, prefix: runtime.configuration.keyPrefix).migrate(to: to)
            print(
                "shards \(report.from) → \(report.to): \(report.workflowsMoved) workflows and \(report.queueEntriesMoved) queued tasks moved"
            )
        }
    }
}
