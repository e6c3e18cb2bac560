import Foundation
import NIOCore
import OrchestraRedis
import OrchestraTestSupport
import Synchronization
import Testing

@Suite("RedisClient against a real redis-server", .timeLimit(.minutes(5)))
struct RedisClientTests {
    @Test func everyReplyTypeRoundTrips() async throws {
        let client = try TestRedis.client()
        defer { client.shutdown() }
        let key = TestRedis.uniquePrefix("types") + "k"
        #expect(try await client.send("SET", RedisArgument(key), "v") == .simpleString("OK"))
        #expect(try await client.send("GET", RedisArgument(key)) == .bulkString(ByteBuffer(string: "v")))
        #expect(try await client.send("GET", RedisArgument(key + ":missing")) == .null)
        #expect(try await client.send("INCRBY", RedisArgument(key + ":n"), -7) == .integer(-7))
        #expect(try await client.send("SET", RedisArgument(key + ":e"), "") == .simpleString("OK"))
        #expect(try await client.send("GET", RedisArgument(key + ":e")) == .bulkString(ByteBuffer()))
        let nested = try await client.send(
            "EVAL", "return {1, {2, {'a', false}}, redis.status_reply('FINE'), {}}", 0
        )
        #expect(
            nested
                == .array([
                    .integer(1), .array([.integer(2), .array([.bulkString(ByteBuffer(string: "a")), .null])]),
                    .simpleString("FINE"), .array([]),
                ])
        )
        await #expect(throws: RedisError.self) { try await client.send("INCR", RedisArgument(key)) }
        do {
            try await client.send("NOSUCHCOMMAND")
            Issue.record("an error reply did not throw")
        } catch {
            #expect(error.code == .serverError)
            #expect(error.message.hasPrefix("ERR unknown command"))
        }
    }

    @Test func binaryAndLargeValuesRoundTrip() async throws {
        let client = try TestRedis.client { $0.commandTimeout = .seconds(30) }
        defer { client.shutdown() }
        let key = TestRedis.uniquePrefix("binary")
        let binary: [UInt8] = [0, 255, 13, 10, 0, 13, 10, 255] + Array(0...255)
        try await client.send("SET", RedisArgument(key + "b"), RedisArgument(bytes: binary))
        #expect(try await client.send("GET", RedisArgument(key + "b")).bytes == binary)
        // Binary keys too.
        try await client.send("SET", RedisArgument(bytes: [0, 13, 10, 255]), "x")
        #expect(try await client.send("GET", RedisArgument(bytes: [0, 13, 10, 255])).string == "x")
        try await client.send("DEL", RedisArgument(bytes: [0, 13, 10, 255]))

        var bytes = [UInt8](repeating: 0xAB, count: 16 << 20)
        for index in stride(from: 0, to: bytes.count, by: 4093) { bytes[index] = UInt8(truncatingIfNeeded: index >> 12) }
        let big = ByteBuffer(bytes: bytes)
        try await client.send("SET", RedisArgument(key + "big"), RedisArgument(buffer: big))
        let back = try await client.send("GET", RedisArgument(key + "big"))
        #expect(back == .bulkString(big))
        #expect(try await client.send("STRLEN", RedisArgument(key + "big")) == .integer(16 << 20))
        try await client.send("DEL", RedisArgument(key + "big"), RedisArgument(key + "b"))
    }

    @Test func tenThousandCommandsFromAThousandTasksGetTheirOwnReplies() async throws {
        let client = try TestRedis.client()
        defer { client.shutdown() }
        let prefix = TestRedis.uniquePrefix("concurrent")
        let threadsBefore = ProcessThreads.count()
        var maxThreads = 0
        try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for task in 0..<1000 {
                group.addTask {
                    var ok = 0
                    for step in 0..<10 {
                        let key = RedisArgument("\(prefix)\(task)")
                        switch step % 3 {
                        case 0:
                            try await client.send("SET", key, RedisArgument("\(task)-\(step)"))
                            ok += 1
                        case 1:
                            let value = try await client.send("GET", key)
                            if value.string == "\(task)-\(step - 1)" { ok += 1 }
                        default:
                            let echoed = try await client.send("ECHO", RedisArgument("\(task):\(step)"))
                            if echoed.string == "\(task):\(step)" { ok += 1 }
                        }
                    }
                    return (ok, ProcessThreads.count())
                }
            }
            var total = 0
            for try await (ok, threads) in group {
                total += ok
                maxThreads = max(maxThreads, threads)
            }
            #expect(total == 10_000)
        }
        // Few connections, no thread per command: the process stays near its baseline.
        #expect(maxThreads < threadsBefore + 16)
        let deleted = try await client.send(["DEL"] + (0..<1000).map { RedisArgument("\(prefix)\($0)") })
        #expect(deleted == .integer(1000))
    }

    @Test func anErrorReplyInAPipelineFailsOnlyItsOwnCommand() async throws {
        let client = try TestRedis.client()
        defer { client.shutdown() }
        let key = RedisArgument(TestRedis.uniquePrefix("pipeline") + "k")
        let replies = try await client.pipelineAllowingErrors([["SET", key, "text"], ["INCR", key], ["GET", key], ["APPEND", key, "!"]])
        #expect(replies.count == 4)
        #expect(replies[0] == .simpleString("OK"))
        #expect(replies[1].errorMessage?.hasPrefix("ERR value is not an integer") == true)
        #expect(replies[2] == .bulkString(ByteBuffer(string: "text")))
        #expect(replies[3] == .integer(5))
        // Concurrent single commands around a failing one: only that one throws.
        let good = Task { try await client.send("GET", key) }
        let bad = Task { try await client.send("HGET", key, "field") }
        let alsoGood = Task { try await client.send("STRLEN", key) }
        #expect(try await good.value.string == "text!")
        await #expect(throws: RedisError.self) { try await bad.value }
        #expect(try await alsoGood.value == .integer(5))
        try await client.send("DEL", key)
    }

    @Test func aPipelineThrowsItsFirstErrorReplyInsteadOfReturningIt() async throws {
        let client = try TestRedis.client()
        defer { client.shutdown() }
        let key = RedisArgument(TestRedis.uniquePrefix("pipeline-throws") + "k")
        try await client.send("SET", key, "text")
        do {
            let replies = try await client.pipeline([["GET", key], ["HGETALL", key], ["STRLEN", key]])
            Issue.record("a pipeline with a WRONGTYPE reply returned \(replies)")
        } catch {
            #expect(error.code == .serverError)
            #expect(error.message.contains("command 2 of 3"))
            #expect(error.message.contains("WRONGTYPE"))
        }
        // Strict readers: an error reply is never an empty array, a zero or a missing value.
        #expect(throws: RedisError.self) { try RESPValue.error("MOVED 866 127.0.0.1:7001").decodeArray() }
        #expect(throws: RedisError.self) { try RESPValue.error("LOADING Redis is loading").decodeInt() }
        #expect(throws: RedisError.self) { try RESPValue.error("ERR").decodeOptionalString() }
        #expect(throws: RedisError.self) { try RESPValue.simpleString("OK").decodeArray() }
        #expect(try RESPValue.null.decodeOptionalString() == nil)
        try await client.send("DEL", key)
    }

    @Test func aBlockingPopDoesNotDelayOtherCommands() async throws {
        let client = try TestRedis.client()
        defer { client.shutdown() }
        let list = RedisArgument(TestRedis.uniquePrefix("blocking") + "list")
        let popped = Atomic<Bool>(false)
        let baseline = try await TestRedis.blockedClients(in: "blpop", via: client)
        let blocked = Task {
            defer { popped.store(true, ordering: .relaxed) }
            return try await client.blockingSend(["BLPOP", list, "30"], blockFor: .seconds(30))
        }
        try await TestRedis.waitUntilBlocked(in: "blpop", moreThan: baseline, via: client)
        let started = ContinuousClock.now
        for index in 0..<200 { #expect(try await client.send("ECHO", RedisArgument(index)).int == index) }
        let elapsed = ContinuousClock.now - started
        let poppedEarly = popped.load(ordering: .relaxed)
        #expect(!poppedEarly, "the pop returned before anything was pushed")
        // Had the pop shared their connection, they would have waited out its 30 s block.
        #expect(elapsed < .seconds(20))
        try await client.send("RPUSH", list, "item")
        let reply = try await blocked.value
        #expect(reply.array?.last?.string == "item")
    }

    @Test func cancellingABlockingCommandReturnsPromptly() async throws {
        let client = try TestRedis.client()
        defer { client.shutdown() }
        let list = RedisArgument(TestRedis.uniquePrefix("cancel") + "list")
        let baseline = try await TestRedis.blockedClients(in: "blpop", via: client)
        let blocked = Task { try await client.blockingSend(["BLPOP", list, "30"], blockFor: .seconds(30)) }
        try await TestRedis.waitUntilBlocked(in: "blpop", moreThan: baseline, via: client)
        let started = ContinuousClock.now
        blocked.cancel()
        await #expect(throws: RedisError.self) { try await blocked.value }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func aScriptSurvivesScriptFlush() async throws {
        let client = try TestRedis.client()
        defer { client.shutdown() }
        let key = RedisArgument(TestRedis.uniquePrefix("script") + "counter")
        let script = RedisScript(name: "incr-by-two", source: "return redis.call('INCRBY', KEYS[1], ARGV[1])")
        #expect(try await client.run(script, keys: [key], arguments: [2]) == .integer(2))
        let firstSHA = script.loadedSHA
        #expect(firstSHA?.count == 40)
        try await client.send("SCRIPT", "FLUSH")
        #expect(try await client.run(script, keys: [key], arguments: [2]) == .integer(4))
        #expect(script.loadedSHA == firstSHA)
        try await client.send("DEL", key)
    }

    @Test func publishedMessagesReachASubscriber() async throws {
        let client = try TestRedis.client()
        defer { client.shutdown() }
        let channel = TestRedis.uniquePrefix("pubsub") + "events"
        let subscription = try await client.subscribe(to: [channel])
        // Publish until the subscription is registered (SUBSCRIBE is asynchronous).
        var receivers = 0
        for _ in 0..<100 where receivers == 0 {
            receivers = try await client.send("PUBLISH", RedisArgument(channel), "hello").int ?? 0
            if receivers == 0 { try await Task.sleep(for: .milliseconds(10)) }
        }
        try await client.send("PUBLISH", RedisArgument(channel), RedisArgument(bytes: [0, 255]))
        var iterator = subscription.makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first?.channel == channel)
        #expect(first.map { String(buffer: $0.payload) } == "hello")
        #expect(try await iterator.next().map { Array($0.payload.readableBytesView) } == [0, 255])
        subscription.unsubscribe()
    }
}

/// The number of threads of this process, from /proc.
enum ProcessThreads {
    static func count() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("Threads:") {
            return Int(line.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        return 0
    }
}
