import NIOCore
import Testing

@testable import OrchestraGateway

@Suite("HTTPConnectionStateMachine: which deadline runs, and when the connection closes", .timeLimit(.minutes(5)))
struct HTTPConnectionStateMachineTests {
    static let timeouts = HTTPConnectionStateMachine.Timeouts(
        idle: .seconds(60), header: .seconds(10), body: .seconds(30), linger: .seconds(2))
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    func at(_ seconds: Int64) -> NIODeadline { start + .seconds(seconds) }

    @Test("A new connection gets the header timeout; after a response, the idle timeout")
    func newThenIdle() {
        var state = HTTPConnectionStateMachine(timeouts: Self.timeouts, openedAt: start)
        #expect(state.deadline == at(10))
        let outcome1 = state.receivedHead(now: at(1), keepAlive: true)
        #expect(outcome1)
        #expect(state.deadline == at(31))
        let outcome2 = state.receivedEnd()
        #expect(outcome2)
        #expect(state.deadline == nil, "the server owes a response")
        let outcome3 = state.writingResponseHead()
        #expect(!outcome3)
        let outcome4 = state.writingResponseEnd(now: at(50))
        #expect(outcome4 == .none)
        #expect(state.deadline == at(110))
        let outcome5 = state.timerFired(now: at(109))
        #expect(outcome5 == .none)
        let outcome6 = state.timerFired(now: at(110))
        #expect(outcome6 == .closeNow)
    }

    @Test("The header deadline runs from the first byte and reads do not extend it")
    func headerDeadlineIsFixed() {
        var state = HTTPConnectionStateMachine(timeouts: Self.timeouts, openedAt: start)
        _ = state.receivedHead(now: at(0), keepAlive: true)
        _ = state.receivedEnd()
        _ = state.writingResponseHead()
        _ = state.writingResponseEnd(now: at(1))
        state.readBytesWithoutParts(now: at(2))
        state.readBytesWithoutParts(now: at(5))
        #expect(state.deadline == at(12))
        let outcome7 = state.timerFired(now: at(12))
        #expect(outcome7 == .respondAndClose(.headerTimeout))
        #expect(state.phase == .closing(lingerUntil: at(14)))
    }

    @Test("No deadline while a response is owed, however long the handler takes")
    func nothingRunsWhileResponding() {
        var state = HTTPConnectionStateMachine(timeouts: Self.timeouts, openedAt: start)
        _ = state.receivedHead(now: at(0), keepAlive: true)
        _ = state.receivedEnd()
        let outcome8 = state.timerFired(now: at(3600))
        #expect(outcome8 == .none)
        _ = state.writingResponseHead()
        let outcome9 = state.timerFired(now: at(7200))
        #expect(outcome9 == .none)
        let outcome10 = state.writingResponseEnd(now: at(7200))
        #expect(outcome10 == .none)
        #expect(state.deadline == at(7260))
    }

    @Test("A response before the body ended says Connection: close and closes the connection")
    func responseBeforeBodyEnd() {
        var state = HTTPConnectionStateMachine(timeouts: Self.timeouts, openedAt: start)
        _ = state.receivedHead(now: at(0), keepAlive: true)
        let outcome11 = state.writingResponseHead()
        #expect(outcome11)
        #expect(state.deadline == nil, "the body timeout stops once the response starts")
        let outcome12 = state.writingResponseEnd(now: at(1))
        #expect(outcome12 == .closeAfterWrite)
        let outcome13 = state.receivedBodyPart()
        #expect(!outcome13, "the rest of the body is discarded")
    }

    @Test("Connection: close closes after its response; a later pipelined request is not served")
    func clientAsksToClose() {
        var state = HTTPConnectionStateMachine(timeouts: Self.timeouts, openedAt: start)
        let outcome14 = state.receivedHead(now: at(0), keepAlive: false)
        #expect(outcome14)
        let outcome15 = state.receivedEnd()
        #expect(outcome15)
        let outcome16 = state.receivedHead(now: at(0), keepAlive: true)
        #expect(!outcome16)
        let outcome17 = state.writingResponseHead()
        #expect(outcome17)
        let outcome18 = state.writingResponseEnd(now: at(1))
        #expect(outcome18 == .closeAfterWrite)
    }

    @Test("A parse error is answered at once unless an earlier response is owed")
    func parseErrors() {
        var idle = HTTPConnectionStateMachine(timeouts: Self.timeouts, openedAt: start)
        let outcome19 = idle.parseError(.malformed("x"), now: at(0))
        #expect(outcome19 == .respondAndClose(.malformed("x")))

        var midBody = HTTPConnectionStateMachine(timeouts: Self.timeouts, openedAt: start)
        _ = midBody.receivedHead(now: at(0), keepAlive: true)
        let outcome20 = midBody.parseError(.malformed("x"), now: at(0))
        #expect(outcome20 == .respondAndClose(.malformed("x")))

        var pipelined = HTTPConnectionStateMachine(timeouts: Self.timeouts, openedAt: start)
        _ = pipelined.receivedHead(now: at(0), keepAlive: true)
        _ = pipelined.receivedEnd()
        let outcome21 = pipelined.parseError(.malformed("x"), now: at(0))
        #expect(outcome21 == .none)
        _ = pipelined.writingResponseHead()
        let outcome22 = pipelined.writingResponseEnd(now: at(1))
        #expect(outcome22 == .closeAfterWrite)
    }

    @Test("A closing connection closes when the client does, or when the linger ends")
    func linger() {
        var silent = HTTPConnectionStateMachine(timeouts: Self.timeouts, openedAt: start)
        let quiet = silent.timerFired(now: at(10))
        #expect(quiet == .closeNow, "a connection that sent nothing is closed without a response")

        var state = HTTPConnectionStateMachine(timeouts: Self.timeouts, openedAt: start)
        state.readBytesWithoutParts(now: at(0))
        let outcome23 = state.timerFired(now: at(10))
        #expect(outcome23 == .respondAndClose(.headerTimeout))
        let outcome24 = state.timerFired(now: at(11))
        #expect(outcome24 == .none)
        let outcome25 = state.timerFired(now: at(12))
        #expect(outcome25 == .closeNow)

        var early = HTTPConnectionStateMachine(timeouts: Self.timeouts, openedAt: start)
        _ = early.parseError(.malformed("x"), now: at(0))
        let outcome26 = early.inputClosed()
        #expect(outcome26 == .closeNow)
    }

    @Test("The timer's tick is the shortest timeout")
    func tick() {
        #expect(Self.timeouts.tick == .seconds(10))
    }
}
