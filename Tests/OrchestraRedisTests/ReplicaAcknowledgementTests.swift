import Foundation
import OrchestraTestSupport
import Testing

@testable import OrchestraRedis

#if canImport(Glibc)
    import Glibc
#endif

/// Writes waited on by replicas (`WAIT` after a function call, ``ReplicaAcknowledgement``), on a
/// real master with a real replica, and on a real Redis Cluster.
@Suite("RedisClient: function calls waited on by replicas (WAIT)", .serialized, .timeLimit(.minutes(5)))
struct ReplicaAcknowledgementTests {
    static let library = RedisFunctionLibrary(
        name: "waittest_1",
        body: "redis.register_function('waittest_1_set', function(keys, args) redis.call('SET', keys[1], args[1]); return 'ok' end)")

    static func set(_ client: RedisClient, _ key: String, _ value: String, _ acknowledgement: ReplicaAcknowledgement)
        async throws(RedisError) -> RESPValue
    {
        try await client.call(
            library, "waittest_1_set", keys: [RedisArgument(key)], arguments: [RedisArgument(value)], replicatedTo: acknowledgement)
    }

    /// Waits until `master` counts a replica as online (it sent its first acknowledgement).
    static func waitUntilInSync(_ master: RedisClient) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await !master.send("INFO", "replication").decodeString().contains("state=online") {
            guard ContinuousClock.now < deadline else { throw TestSupportError("the replica did not sync") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("one node: acknowledged once the replica has the write; with no replica in time, notReplicated (the write was done)")
    func singleNode() async throws {
        // A replica's full sync writes an RDB file into its directory: a private one, so no other
        // test's server (started in the working directory) ever loads it.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-wait-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let master = try RedisServerProcess(extraArguments: ["--repl-diskless-sync-delay", "0", "--dir", directory.path])
        let client = RedisClient(configuration: try RedisConfiguration(url: master.url))
        defer { client.shutdown() }
        let acknowledgement = ReplicaAcknowledgement(replicas: 1, timeout: .milliseconds(200))

        // No replica: WAIT gives up after its timeout; the function ran all the same.
        let started = ContinuousClock.now
        do {
            _ = try await Self.set(client, "k", "first", acknowledgement)
            Issue.record("no replica can confirm")
        } catch {
            #expect(error.code == .notReplicated)
            #expect(!error.isTransient, "the write ran: it must not be retried")
        }
        #expect(ContinuousClock.now - started >= .milliseconds(200), "WAIT waited its timeout")
        #expect(try await client.send("GET", "k").decodeString() == "first")

        // With a replica in sync: acknowledged, and the replica has it when the call returns.
        let replicaServer = try RedisServerProcess(extraArguments: [
            "--replicaof", "127.0.0.1", String(master.port), "--dir", directory.path,
        ])
        let replica = RedisClient(configuration: try RedisConfiguration(url: replicaServer.url))
        defer { replica.shutdown() }
        try await Self.waitUntilInSync(client)
        // A generous timeout here: on a loaded machine a replica in sync can take longer than 200 ms
        // to answer the master's GETACK, and this step is about the success path.
        let patient = ReplicaAcknowledgement(replicas: 1, timeout: .seconds(10))
        #expect(try await Self.set(client, "k", "second", patient).string == "ok")
        #expect(try await replica.send("GET", "k").decodeString() == "second")

        // A stalled replica: not confirmed in time.
        kill(replicaServer.pid, SIGSTOP)
        defer { kill(replicaServer.pid, SIGCONT) }
        do {
            _ = try await Self.set(client, "k", "third", acknowledgement)
            Issue.record("a stalled replica cannot confirm")
        } catch {
            #expect(error.code == .notReplicated)
        }
    }

    @Test("cluster: the WAIT goes to the slot's master on a dedicated connection; the shared ones are not held up by it")
    func cluster() async throws {
        let cluster = try await TestRedisCluster.offloaded { try RedisClusterProcess(masters: 3, replicasPerMaster: 1) }
        defer { cluster.stop() }
        let client = try TestRedisCluster.client(cluster)
        defer { client.shutdown() }
        let key = "{wait}k"
        let acknowledgement = ReplicaAcknowledgement(replicas: 1, timeout: .seconds(1))
        #expect(try await Self.set(client, key, "first", acknowledgement).string == "ok")

        let owner = try #require(try await cluster.owner(ofSlot: Int(HashSlot(key: key).rawValue)))
        let replica = try #require(try await cluster.replicas(of: owner).first)
        cluster.pause(replica)
        defer { cluster.resume(replica) }
        let waiting = Task { try await Self.set(client, key, "second", acknowledgement) }
        // While that WAIT holds its connection, commands to the same node are answered at once.
        let started = ContinuousClock.now
        for _ in 0..<5 { _ = try await client.send("GET", RedisArgument(key)) }
        #expect(ContinuousClock.now - started < .milliseconds(500), "shared connections are not blocked by a WAIT")
        switch await waiting.result {
        case .success: Issue.record("a stalled replica cannot confirm")
        case .failure(let error): #expect((error as? RedisError)?.code == .notReplicated)
        }
        #expect(try await client.send("GET", RedisArgument(key)).decodeString() == "second", "done on the master")
    }
}
