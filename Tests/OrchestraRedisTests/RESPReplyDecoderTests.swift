import NIOCore
import OrchestraRedis
import Testing

@Suite("hiredis reply decoding and command encoding, without a server", .timeLimit(.minutes(5)))
struct RESPReplyDecoderTests {
    @Test func decodesEveryRESP2TypeFedByteByByte() throws {
        let wire = "+OK\r\n-ERR bad thing\r\n:-42\r\n$4\r\na\r\nb\r\n$-1\r\n*-1\r\n$0\r\n\r\n*2\r\n*1\r\n:1\r\n$1\r\nx\r\n"
        let decoder = RESPReplyDecoder()
        var replies: [RESPValue] = []
        for byte in wire.utf8 {
            try decoder.feed(ByteBuffer(bytes: [byte]))
            while let reply = try decoder.next() { replies.append(reply) }
        }
        #expect(
            replies == [
                .simpleString("OK"), .error("ERR bad thing"), .integer(-42), .bulkString(ByteBuffer(string: "a\r\nb")),
                .null, .null, .bulkString(ByteBuffer()), .array([.array([.integer(1)]), .bulkString(ByteBuffer(string: "x"))]),
            ]
        )
    }

    @Test func rejectsBytesThatAreNotRESP() throws {
        let decoder = RESPReplyDecoder()
        try decoder.feed(ByteBuffer(string: "?what\r\n"))
        #expect(throws: RedisError.self) { try decoder.next() }
    }

    @Test func encodesBinaryArgumentsAsMultiBulk() throws {
        let encoded = try RedisCommandEncoder.encode(["SET", RedisArgument(bytes: [0, 255, 13, 10]), ""])
        let expected: [UInt8] = Array("*3\r\n$3\r\nSET\r\n$4\r\n".utf8) + [0, 255, 13, 10] + Array("\r\n$0\r\n\r\n".utf8)
        #expect(Array(encoded.readableBytesView) == expected)
    }

    @Test func parsesRedisURLs() throws {
        let full = try RedisConfiguration(url: "redis://alice:s%40cret@redis.internal:6380/3")
        #expect(full.host == "redis.internal")
        #expect(full.port == 6380)
        #expect(full.username == "alice")
        #expect(full.password == "s@cret")
        #expect(full.database == 3)
        let passwordOnly = try RedisConfiguration(url: "redis://:pw@127.0.0.1")
        #expect(passwordOnly.username == nil && passwordOnly.password == "pw" && passwordOnly.port == 6379)
        let bare = try RedisConfiguration(url: "redis://localhost:6379/0")
        #expect(bare.host == "localhost" && bare.database == 0 && bare.password == nil)
        for bad in ["http://x", "redis://:pw@host:notaport", "redis://host/x", "redis://:hunter2@"] {
            do {
                _ = try RedisConfiguration(url: bad)
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.code == .invalidConfiguration)
                #expect(!error.description.contains("hunter2"))
            }
        }
    }
}
