import Foundation
import OrchestraAPI
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (946_684_800_000, "2000-01-01T00:00:00.000Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),  // 2000 is a leap year (divisible by 400)
        (1_704_110_400_000, "2024-01-01T12:00:00.000Z"),
        (1_709_164_800_123, "2024-02-29T00:00:00.123Z"),
        (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),  // 2100 is not: Feb 28 is followed by Mar 1
        (1_720_000_000_999, "2024-07-03T09:46:40.999Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ])
    func formatsKnownInstants(milliseconds: Int64, expected: String) {
        #expect(Timestamp.iso8601String(millisecondsSinceEpoch: milliseconds) == expected)
        #expect(Timestamp(iso8601: expected)?.millisecondsSinceEpoch == milliseconds)
    }

    @Test func agreesWithFoundationOverManyDays() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        // Every ~7.3 days from 1900 to 2200 (whole seconds: Date's floating point would blur milliseconds).
        var milliseconds: Int64 = -2_208_988_800_000
        while milliseconds < 7_258_118_400_000 {
            let ours = Timestamp.iso8601String(millisecondsSinceEpoch: milliseconds)
            let theirs = formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            #expect(ours == theirs)
            if ours != theirs { break }
            milliseconds += 631_153_000
        }
    }

    @Test func parsesOffsetsAndFractions() {
        #expect(Timestamp(iso8601: "2024-01-01T12:00:00Z")?.millisecondsSinceEpoch == 1_704_110_400_000)
        #expect(Timestamp(iso8601: "2024-01-01T14:00:00.5+02:00")?.millisecondsSinceEpoch == 1_704_110_400_500)
        #expect(Timestamp(iso8601: "2024-01-01T11:30:00.123456-0030")?.millisecondsSinceEpoch == 1_704_110_400_123)
    }

    @Test(arguments: [
        "", "2024-01-01", "2024-01-01T12:00:00", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
        "2024-01-01T24:00:00Z", "2024-01-01T12:00:00.Z", "2024-01-01T12:00:00Zjunk", "2024-1-01T12:00:00Z",
    ])
    func rejectsInvalidText(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func codableAsString() throws {
        let stamp = Timestamp(millisecondsSinceEpoch: 1_704_110_400_000)
        let data = try JSONEncoder().encode([stamp])
        #expect(String(decoding: data, as: UTF8.self) == #"["2024-01-01T12:00:00.000Z"]"#)
        #expect(try JSONDecoder().decode([Timestamp].self, from: data) == [stamp])
    }

    @Test func nowIsCloseToDate() {
        let now = Timestamp.now().millisecondsSinceEpoch
        let reference = Int64(Date().timeIntervalSince1970 * 1000)
        #expect(abs(now - reference) < 5_000)
    }
}
