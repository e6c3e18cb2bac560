import OrchestraAPI
import Testing

@Suite("Server-Sent Events parser")
struct ServerSentEventParserTests {
    /// Feeds `text` cut at every byte boundary in `cuts` and returns all events.
    private func parse(_ bytes: [UInt8], cuts: [Int]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        var start = 0
        for cut in cuts + [bytes.count] where cut >= start {
            events += try parser.feed(bytes[start..<cut])
            start = cut
        }
        return events
    }

    private func parseWhole(_ text: String) throws -> [ServerSentEvent] {
        try parse(Array(text.utf8), cuts: [])
    }

    @Test func dataEventTypeAndID() throws {
        let events = try parseWhole("event: message_start\nid: 7\ndata: {\"a\":1}\n\ndata: second\n\n")
        #expect(
            events == [
                ServerSentEvent(type: "message_start", data: #"{"a":1}"#, id: "7"),
                ServerSentEvent(type: nil, data: "second", id: nil),
            ])
    }

    @Test func everySplitPointGivesTheSameEvents() throws {
        // Multi-byte characters (2, 3 and 4 bytes), CRLF, a comment and multi-line data.
        let text = ": keep-alive\r\nevent: delta\r\ndata: héllo — 世界 🎉\r\ndata: line two\r\n\r\ndata: [DONE]\r\n\r\n"
        let bytes = Array(text.utf8)
        let expected = [
            ServerSentEvent(type: "delta", data: "héllo — 世界 🎉\nline two"),
            ServerSentEvent(data: "[DONE]"),
        ]
        #expect(try parse(bytes, cuts: []) == expected)
        for cut in 1..<bytes.count {
            #expect(try parse(bytes, cuts: [cut]) == expected, "cut at byte \(cut)")
        }
        // One byte at a time.
        #expect(try parse(bytes, cuts: Array(1..<bytes.count)) == expected)
    }

    @Test func lineEndingsLFCRAndCRLFMix() throws {
        let events = try parseWhole("data: a\rdata: b\ndata: c\r\n\rdata: d\n\n")
        #expect(events == [ServerSentEvent(data: "a\nb\nc"), ServerSentEvent(data: "d")])
    }

    @Test func crAtTheEndOfAChunkThenLFIsOneLineEnd() throws {
        let bytes = Array("data: x\r\n\r\n".utf8)
        // Cut right after each CR: the LF that follows must not end a second (blank) line early.
        let events = try parse(bytes, cuts: [8, 10])
        #expect(events == [ServerSentEvent(data: "x")])
    }

    @Test func commentsAndUnknownFieldsAreIgnoredAndEmptyEventsNotDispatched() throws {
        let events = try parseWhole(": ping\n\nretry: 100\nfoo: bar\n\nevent: only-type\n\ndata\n\n")
        // `data` without a colon is a data line with an empty value: one event with empty data.
        #expect(events == [ServerSentEvent(data: "")])
    }

    @Test func spaceAfterColonIsDroppedOnlyOnce() throws {
        let events = try parseWhole("data:no space\n\ndata:  two spaces\n\n")
        #expect(events.map(\.data) == ["no space", " two spaces"])
    }

    @Test func leadingByteOrderMarkIsSkipped() throws {
        let events = try parse([0xEF, 0xBB, 0xBF] + Array("data: x\n\n".utf8), cuts: [1, 2])
        #expect(events == [ServerSentEvent(data: "x")])
    }

    @Test func anEventCutOffByTheEndIsNotDispatched() throws {
        var parser = ServerSentEventParser()
        #expect(try parser.feed(Array("data: complete\n\ndata: cut".utf8)) == [ServerSentEvent(data: "complete")])
        #expect(try parser.feed(Array("-off\n".utf8)).isEmpty)
    }

    @Test func oversizedEventThrows() throws {
        var parser = ServerSentEventParser(maximumEventSize: 16)
        #expect(throws: ServerSentEventParser.EventTooLarge.self) {
            _ = try parser.feed(Array("data: 0123456789\ndata: 0123456789\n".utf8))
        }
        var small = ServerSentEventParser(maximumEventSize: 16)
        #expect(try small.feed(Array("data: 0123456789\n\ndata: 0123456789\n\n".utf8)).count == 2)
    }
}
