import Foundation
import NIOHTTP1
import OrchestraAPI
import OrchestraRedis
import OrchestraTestSupport
import Testing

/// The whole system on a real Redis Cluster of 3 masters and 3 replicas: real gateway and worker
/// processes with `REDIS_CLUSTER_NODES`, shards spread over the masters.
@Suite("End to end: scheduling on a real Redis Cluster", .serialized, .timeLimit(.minutes(10)))
struct RedisClusterSchedulingTests {
    @Test(
        "2 gateways and 3 workers on 3 masters + 3 replicas with 12 shards: graphs complete, a worker's kill -9 loses nothing, DELETE, listing and events work"
    )
    func schedulingAcrossNodes() async throws {
        let redis = try await TestRedisCluster.offloaded { try RedisClusterProcess(masters: 3, replicasPerMaster: 1) }
        defer { redis.stop() }
        let environment = ["REDIS_CLUSTER_NODES": redis.seedList, "ORCHESTRA_SHARDS": "12", "ECHO_LATENCY_MS": "300"]
        try await withCluster(environment: environment, redisURL: "redis://\(redis.nodes[0].address)") { cluster in
            let first = GatewayHTTP(try await cluster.startGateway())
            let second = GatewayHTTP(try await cluster.startGateway())
            let workers = [try cluster.startWorker(), try cluster.startWorker(), try cluster.startWorker()]
            var ids: [String] = []
            for index in 0..<24 {
                ids.append(try await (index.isMultiple(of: 2) ? first : second).submit(EventStreamTests.graph))
            }
            let doomed = try await first.submit(EventStreamTests.graph)
            _ = try await second.waitUntil(doomed) { $0.tasks.contains { $0.status == .running } }
            #expect(try await second.request(.DELETE, "/workflows/\(doomed)").status == 200)

            // A worker dies with tasks in hand; the others take them over after their leases.
            _ = try await first.waitUntil(ids[0]) { $0.tasks.contains { $0.status == .running } }
            cluster.signal(workers[0], SIGKILL)

            for id in ids {
                let finished = try await second.waitForTerminal(id, timeout: .seconds(90))
                #expect(finished.status == .completed, "\(id)")
                #expect(finished.tasks.allSatisfy { $0.status == .completed && $0.result != nil })
            }
            #expect(try await first.request(.GET, "/status/\(doomed)").status == 404)

            // Listing reads every shard on every master: all of them, newest first.
            let listed = try await first.request(.GET, "/workflows?limit=100").decode([WorkflowStatus].self)
            #expect(Set(ids).isSubset(of: Set(listed.map(\.workflowId))))
            #expect(zip(listed, listed.dropFirst()).allSatisfy { $0.createdAt >= $1.createdAt })
            let queues = try await first.request(.GET, "/queues")
            #expect(queues.status == 200)

            // A workflow's events, from its own slot, through the other gateway (a fresh one: a
            // workflow the killed worker held shows its tasks queued and started twice).
            let watched = try await second.submit(EventStreamTests.graph)
            let events = try await SSEClient(first.baseURL + "/workflows/\(watched)/events").collect(until: .seconds(30))
            try EventStreamTests.checkCausal(events, id: watched)

            // The shards really are spread: every master holds workflow data.
            let masters = try await redis.masters()
            #expect(masters.count == 3)
            for master in masters {
                let node = try TestRedisCluster.nodeClient(master)
                defer { node.shutdown() }
                let keys = try await node.send("DBSIZE").decodeInt()
                #expect(keys > 0, "master \(master.address) holds keys")
            }
        }
    }

    @Test("the seed's examples, run by `orchestra examples`, complete in the documented order on 3 masters + 3 replicas")
    func seedExamples() async throws {
        let redis = try await TestRedisCluster.offloaded { try RedisClusterProcess(masters: 3, replicasPerMaster: 1) }
        defer { redis.stop() }
        let environment = ["REDIS_CLUSTER_NODES": redis.seedList, "ORCHESTRA_SHARDS": "9", "ECHO_LATENCY_MS": "300"]
        try await withCluster(environment: environment, redisURL: "redis://\(redis.nodes[0].address)") { cluster in
            let gateway = try await cluster.startGateway()
            try cluster.startWorker()
            try cluster.startWorker()
            try await ClusterTests.runExamples(on: GatewayHTTP(gateway))
        }
    }
}
