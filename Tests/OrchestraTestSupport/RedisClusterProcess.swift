import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A private Redis Cluster for tests: 3 masters with one replica each, on free loopback ports,
/// made with `redis-cli --cluster create`. Every server is stopped by its pid in ``stop()``
/// (and at exit, for shared clusters).
public final class RedisClusterProcess: @unchecked Sendable {
    // @unchecked: `servers` is set up in `init` (before sharing) and its elements are only
    // signalled afterwards (`RedisServerProcess` is safe to stop from any thread).

    /// One server of the cluster.
    public struct Node: Sendable, Hashable {
        /// Its port on 127.0.0.1.
        public let port: Int
        /// `127.0.0.1:port`.
        public var address: String { "127.0.0.1:\(port)" }
    }

    /// The six servers, in start order (the first three were made masters).
    public let nodes: [Node]
    private var servers: [Int: RedisServerProcess] = [:]
    /// Servers started again by ``restart(_:)``, by port (they replace those in `servers`).
    private let restarted = Mutex<[Int: RedisServerProcess]>([:])
    private let restartWatchdogs = Mutex<[Process]>([])
    private let killed = Mutex<Set<Int>>([])
    private let serverArguments: @Sendable (Int) -> [String]
    private var watchdog: Process?
    private let directory: URL

    /// Starts six `redis-server --cluster-enabled yes` and joins them into a cluster, waiting
    /// until every node reports `cluster_state:ok`.
    ///
    /// - Parameters:
    ///   - nodeTimeout: `cluster-node-timeout` in milliseconds: how soon a killed master's
    ///     replica takes over.
    ///   - extraArguments: more `redis-server` arguments for every node (`--appendfsync always`, …).
    public init(masters: Int = 3, replicasPerMaster: Int = 1, nodeTimeout: Int = 1000, extraArguments: [String] = []) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-cluster-\(UUID().uuidString)")
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ports = try Self.clusterPorts(count: masters * (1 + replicasPerMaster))
        nodes = ports.map { Node(port: $0) }
        serverArguments = { port in
            [
                "--cluster-enabled", "yes", "--cluster-config-file", directory.appendingPathComponent("nodes-\(port).conf").path,
                "--cluster-node-timeout", String(nodeTimeout), "--dir", directory.appendingPathComponent("data-\(port)").path,
                "--enable-debug-command", "yes", "--cluster-allow-replica-migration", "no",
                // Replicas sync at once (Redis waits 5 s for more replicas by default), so a test
                // never kills a master whose replica has nothing yet.
                "--repl-diskless-sync-delay", "0",
            ] + extraArguments
        }
        do {
            for port in ports {
                try FileManager.default.createDirectory(
                    at: directory.appendingPathComponent("data-\(port)"), withIntermediateDirectories: true)
                servers[port] = try RedisServerProcess(port: port, extraArguments: serverArguments(port))
            }
            watchdog = try Self.watchdog(killing: servers.values.map(\.pid), removing: directory)
            try Self.run(
                "redis-cli",
                ["--cluster", "create"] + nodes.map(\.address) + ["--cluster-replicas", String(replicasPerMaster), "--cluster-yes"])
            try waitUntilHealthy()
        } catch {
            stop()
            throw error
        }
    }

    /// `127.0.0.1:p1,127.0.0.1:p2,…`: the value of `REDIS_CLUSTER_NODES` for every node.
    public var seedList: String { nodes.map(\.address).joined(separator: ",") }

    /// Every node's server pid.
    public var pids: [Int32] { servers.values.map(\.pid) }

    // MARK: Inspection

    /// Runs `redis-cli -p port args…` and returns its output.
    @discardableResult
    public func cli(_ node: Node, _ arguments: [String]) throws -> String {
        try Self.run("redis-cli", ["-p", String(node.port)] + arguments)
    }

    /// The node's cluster id (`CLUSTER MYID`).
    public func id(of node: Node) throws -> String {
        try cli(node, ["CLUSTER", "MYID"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The current masters, as `node` sees them.
    public func masters(seenBy node: Node? = nil) throws -> [Node] {
        try clusterNodes(seenBy: node).filter { $0.flags.contains("master") && !$0.flags.contains("fail") }.map(\.node)
    }

    /// The replicas of `master`, as `master` sees them.
    public func replicas(of master: Node) throws -> [Node] {
        let masterID = try id(of: master)
        return try clusterNodes(seenBy: master).filter { $0.masterID == masterID }.map(\.node)
    }

    /// The master serving `slot`, as `node` sees it.
    public func owner(ofSlot slot: Int, seenBy node: Node? = nil) throws -> Node? {
        for entry in try clusterNodes(seenBy: node) where entry.flags.contains("master") {
            if entry.slots.contains(where: { $0.contains(slot) }) { return entry.node }
        }
        return nil
    }

    /// A slot served by `master`.
    public func slots(of master: Node) throws -> [ClosedRange<Int>] {
        try clusterNodes(seenBy: master).first { $0.node == master }?.slots ?? []
    }

    struct NodeEntry {
        var node: Node
        var flags: [String]
        var masterID: String
        var slots: [ClosedRange<Int>]
    }

    func clusterNodes(seenBy node: Node?) throws -> [NodeEntry] {
        let output = try cli(node ?? nodes[0], ["CLUSTER", "NODES"])
        return output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 8 else { return nil }
            // 127.0.0.1:30001@40001 → 30001
            let endpoint = fields[1].split(separator: "@")[0]
            guard let port = endpoint.split(separator: ":").last.flatMap({ Int($0) }) else { return nil }
            let slots: [ClosedRange<Int>] = fields.dropFirst(8).compactMap { part in
                if part.hasPrefix("[") { return nil }  // a migration in progress
                let bounds = part.split(separator: "-").compactMap { Int($0) }
                if bounds.count == 2 { return bounds[0]...bounds[1] }
                return bounds.first.map { $0...$0 }
            }
            return NodeEntry(
                node: Node(port: port), flags: fields[2].split(separator: ",").map(String.init), masterID: fields[3], slots: slots)
        }
    }

    // MARK: Changes

    /// Moves `count` slots from one master to another with `redis-cli --cluster reshard`
    /// (keys are migrated; clients see `ASK`, then `MOVED`). Returns when it is done.
    public func reshard(from source: Node, to destination: Node, slots count: Int) throws {
        try Self.run(
            "redis-cli",
            [
                "--cluster", "reshard", source.address, "--cluster-from", try id(of: source), "--cluster-to", try id(of: destination),
                "--cluster-slots", String(count), "--cluster-yes", "--cluster-pipeline", "100",
            ])
    }

    /// Starts moving `slot` from `source` to `destination` by hand: `IMPORTING` on the
    /// destination, `MIGRATING` on the source. Keys then move with ``migrate(keys:from:to:)``.
    public func beginMigration(ofSlot slot: Int, from source: Node, to destination: Node) throws {
        try expectOK(cli(destination, ["CLUSTER", "SETSLOT", String(slot), "IMPORTING", try id(of: source)]))
        try expectOK(cli(source, ["CLUSTER", "SETSLOT", String(slot), "MIGRATING", try id(of: destination)]))
    }

    /// `MIGRATE`s `keys` from `source` to `destination`.
    public func migrate(keys: [String], from source: Node, to destination: Node) throws {
        let output = try cli(source, ["MIGRATE", "127.0.0.1", String(destination.port), "", "0", "5000", "KEYS"] + keys)
        guard output.contains("OK") else { throw TestSupportError("MIGRATE failed: \(output)") }
    }

    /// Ends a manual migration: `slot` belongs to `destination` on every master.
    public func finishMigration(ofSlot slot: Int, to destination: Node) throws {
        let destinationID = try id(of: destination)
        try expectOK(cli(destination, ["CLUSTER", "SETSLOT", String(slot), "NODE", destinationID]))
        for master in try masters() where master != destination {
            try expectOK(cli(master, ["CLUSTER", "SETSLOT", String(slot), "NODE", destinationID]))
        }
    }

    /// `CLUSTER FAILOVER` on `replica`: it becomes the master of its shard once its old master
    /// handed over. Returns when `replica` reports itself master.
    public func failover(to replica: Node, timeout seconds: Double = 20) throws {
        try expectOK(cli(replica, ["CLUSTER", "FAILOVER"]))
        try waitFor("\(replica.address) to become master", timeout: seconds) {
            try self.cli(replica, ["ROLE"]).hasPrefix("master")
        }
    }

    /// Kills `node` with SIGKILL (a crash).
    public func kill(_ node: Node) {
        killed.withLock { _ = $0.insert(node.port) }
        if let server = restarted.withLock({ $0[node.port] }) {
            server.kill()
        } else {
            servers[node.port]?.kill()
        }
    }

    /// Stops the process of `node` with SIGSTOP: it neither answers nor replicates (a replica
    /// falling behind, a stalled host) until ``resume(_:)``.
    public func pause(_ node: Node) {
        if let pid = pid(of: node) { Glibc.kill(pid, SIGSTOP) }
    }

    /// Lets a paused node run again (SIGCONT).
    public func resume(_ node: Node) {
        if let pid = pid(of: node) { Glibc.kill(pid, SIGCONT) }
    }

    /// Starts a killed node again on its port with its cluster config file (its data is gone:
    /// the tests run without persistence): it rejoins the cluster, as a replica of whichever
    /// node took its slots over. Returns once it listens.
    public func restart(_ node: Node) throws {
        let server = try RedisServerProcess(port: node.port, extraArguments: serverArguments(node.port))
        restarted.withLock { $0[node.port] = server }
        killed.withLock { _ = $0.remove(node.port) }
        let watchdog = try Self.watchdog(killing: [server.pid], removing: directory)
        restartWatchdogs.withLock { $0.append(watchdog) }
    }

    private func pid(of node: Node) -> Int32? {
        restarted.withLock { $0[node.port]?.pid } ?? servers[node.port]?.pid
    }

    /// Stops every server and removes their files.
    public func stop() {
        for server in restarted.withLock({ Array($0.values) }) {
            resumeAndStop(server)
        }
        for server in servers.values { resumeAndStop(server) }
        if let watchdog, watchdog.isRunning { watchdog.terminate() }
        for watchdog in restartWatchdogs.withLock({ $0 }) where watchdog.isRunning { watchdog.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }

    private func resumeAndStop(_ server: RedisServerProcess) {
        Glibc.kill(server.pid, SIGCONT)
        server.stop()
    }

    deinit { stop() }

    // MARK: Waiting

    /// Waits until every live node reports `cluster_state:ok`, every live replica's link to its
    /// master is up (it has the master's data: it could take over) and every master counts its
    /// replicas online.
    public func waitUntilHealthy(timeout seconds: Double = 30) throws {
        try waitFor("cluster_state:ok on every node and every replica in sync", timeout: seconds) {
            let killed = self.killed.withLock { $0 }
            for node in self.nodes where !killed.contains(node.port) {
                guard try self.cli(node, ["CLUSTER", "INFO"]).contains("cluster_state:ok") else { return false }
                let replication = try self.cli(node, ["INFO", "replication"])
                if replication.contains("role:slave"), !replication.contains("master_link_status:up") { return false }
                // A master counts a replica (for WAIT, min-replicas-to-write) once it is online.
                let replicaLines = replication.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("slave") && $0.contains("ip=") }
                if replicaLines.contains(where: { !$0.contains("state=online") }) { return false }
            }
            return true
        }
    }

    /// Polls `condition` every 50 ms until it holds (errors count as not yet), or throws.
    public func waitFor(_ what: String, timeout seconds: Double, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? condition()) == true { return }
            usleep(50_000)
        }
        throw TestSupportError("timed out after \(seconds) s waiting for \(what)")
    }

    private func expectOK(_ output: String) throws {
        guard output.trimmingCharacters(in: .whitespacesAndNewlines) == "OK" else {
            throw TestSupportError("expected OK, got \(output)")
        }
    }

    // MARK: Processes and ports

    /// Runs a program to its end and returns its standard output; throws on a non-zero exit.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw TestSupportError("\(program) \(arguments.prefix(3).joined(separator: " ")) failed: \(text.suffix(500))")
        }
        return text
    }

    /// A shell that SIGKILLs `pids` once this (test) process is gone, however it ended: no
    /// server outlives a crashed or killed test run.
    private static func watchdog(killing pids: [Int32], removing directory: URL) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let list = pids.map(String.init).joined(separator: " ")
        process.arguments = [
            "-c", "while kill -0 \(getpid()) 2>/dev/null; do sleep 0.5; done; kill -9 \(list) 2>/dev/null; rm -rf '\(directory.path)'",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// `count` ports P, each with P + 10000 (its cluster bus port) free too.
    static func clusterPorts(count: Int) throws -> [Int] {
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count {
            attempts += 1
            guard attempts < 10_000 else { throw TestSupportError("no free cluster ports") }
            let port = Int.random(in: 20_000..<50_000)
            if !ports.contains(port), !ports.contains(port + 10_000), !ports.contains(port - 10_000), canBind(port), canBind(port + 10_000)
            {
                ports.append(port)
            }
        }
        return ports
    }

    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// The same operations for async tests: each `redis-cli` run happens on its own thread, so a
/// test never blocks one of the few threads of Swift's cooperative pool (others would stall).
extension RedisClusterProcess {
    /// Runs `redis-cli -p port args…` and returns its output.
    @discardableResult
    public func cli(_ node: Node, _ arguments: [String]) async throws -> String {
        try await TestRedisCluster.offloaded { try self.cli(node, arguments) }
    }

    /// The current masters, as `node` sees them.
    public func masters(seenBy node: Node? = nil) async throws -> [Node] {
        try await TestRedisCluster.offloaded { try self.masters(seenBy: node) }
    }

    /// The replicas of `master`, as `master` sees them.
    public func replicas(of master: Node) async throws -> [Node] {
        try await TestRedisCluster.offloaded { try self.replicas(of: master) }
    }

    /// The master serving `slot`, as `node` sees it.
    public func owner(ofSlot slot: Int, seenBy node: Node? = nil) async throws -> Node? {
        try await TestRedisCluster.offloaded { try self.owner(ofSlot: slot, seenBy: node) }
    }

    /// The slot ranges served by `master`.
    public func slots(of master: Node) async throws -> [ClosedRange<Int>] {
        try await TestRedisCluster.offloaded { try self.slots(of: master) }
    }

    /// See ``reshard(from:to:slots:)-(Node,Node,Int)``.
    public func reshard(from source: Node, to destination: Node, slots count: Int) async throws {
        try await TestRedisCluster.offloaded { try self.reshard(from: source, to: destination, slots: count) }
    }

    /// See ``beginMigration(ofSlot:from:to:)-(Int,Node,Node)``.
    public func beginMigration(ofSlot slot: Int, from source: Node, to destination: Node) async throws {
        try await TestRedisCluster.offloaded { try self.beginMigration(ofSlot: slot, from: source, to: destination) }
    }

    /// See ``migrate(keys:from:to:)-([String],Node,Node)``.
    public func migrate(keys: [String], from source: Node, to destination: Node) async throws {
        try await TestRedisCluster.offloaded { try self.migrate(keys: keys, from: source, to: destination) }
    }

    /// See ``finishMigration(ofSlot:to:)-(Int,Node)``.
    public func finishMigration(ofSlot slot: Int, to destination: Node) async throws {
        try await TestRedisCluster.offloaded { try self.finishMigration(ofSlot: slot, to: destination) }
    }

    /// See ``failover(to:timeout:)-(Node,Double)``.
    public func failover(to replica: Node, timeout seconds: Double = 20) async throws {
        try await TestRedisCluster.offloaded { try self.failover(to: replica, timeout: seconds) }
    }

    /// See ``restart(_:)-(Node)``.
    public func restart(_ node: Node) async throws {
        try await TestRedisCluster.offloaded { try self.restart(node) }
    }

    /// See ``waitUntilHealthy(timeout:)-(Double)``.
    public func waitUntilHealthy(timeout seconds: Double = 30) async throws {
        try await TestRedisCluster.offloaded { try self.waitUntilHealthy(timeout: seconds) }
    }
}
