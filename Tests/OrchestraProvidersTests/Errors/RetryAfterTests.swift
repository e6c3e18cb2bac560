import Foundation
import Testing

@testable import OrchestraProviders

@Suite("Retry-After parsing")
struct RetryAfterTests {
    @Test func delaySeconds() {
        #expect(RetryAfter.parse(retryAfter: "20", retryAfterMilliseconds: nil, now: 0) == .seconds(20))
        #expect(RetryAfter.parse(retryAfter: " 0 ", retryAfterMilliseconds: nil, now: 0) == .zero)
        #expect(RetryAfter.parse(retryAfter: "1.5", retryAfterMilliseconds: nil, now: 0) == .milliseconds(1500))
    }

    @Test func millisecondsHeaderWins() {
        #expect(RetryAfter.parse(retryAfter: "2", retryAfterMilliseconds: "250", now: 0) == .milliseconds(250))
    }

    @Test func httpDateAgainstFoundation() throws {
        let now = Date(timeIntervalSince1970: 1_445_412_400)  // 2015-10-21 07:26:40 UTC
        let later = now.addingTimeInterval(80)
        #expect(httpDate(later) == "Wed, 21 Oct 2015 07:28:00 GMT")
        let wait = RetryAfter.parse(retryAfter: httpDate(later), retryAfterMilliseconds: nil, now: now.timeIntervalSince1970)
        #expect(wait == .seconds(80))
        // Many dates across years, leap days included, agree with Foundation's calendar.
        for offset in stride(from: 0.0, to: 4_000_000_000, by: 37_171_333) {
            let date = Date(timeIntervalSince1970: offset.rounded())
            #expect(RetryAfter.httpDate(httpDate(date)) == date.timeIntervalSince1970, "\(httpDate(date))")
        }
        #expect(RetryAfter.httpDate("Thu, 29 Feb 2024 12:00:00 GMT") == 1_709_208_000)
    }

    @Test func dateInThePastMeansNoWait() {
        #expect(RetryAfter.parse(retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT", retryAfterMilliseconds: nil, now: 2_000_000_000) == .zero)
    }

    @Test(arguments: ["", "soon", "-3", "Wed, 21 Oct 2015 07:28:00 PST", "21 Oct 2015 07:28:00 GMT", "Wed, 21 Foo 2015 07:28:00 GMT"])
    func unreadableValuesAreIgnored(value: String) {
        #expect(RetryAfter.parse(retryAfter: value, retryAfterMilliseconds: nil, now: 0) == nil)
    }
}
