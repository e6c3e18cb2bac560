import OrchestraConfig

/// Parses the wait a provider asks for on 429 and 503 responses.
///
/// Understands `Retry-After` as delay-seconds (`"2"`, tolerating `"1.5"`) or as an HTTP-date in the
/// IMF-fixdate form (`"Wed, 21 Oct 2015 07:28:00 GMT"`, RFC 9110 §5.6.7), and OpenAI's
/// `retry-after-ms`, which wins when present because it is more precise.
enum RetryAfter {
    /// The wait from the headers, or `nil` when there is none or it cannot be read.
    /// `now` is seconds since 1970 (injected so tests can pin the clock).
    static func parse(retryAfter: String?, retryAfterMilliseconds: String?, now: Double) -> Duration? {
        if let milliseconds = retryAfterMilliseconds.flatMap({ Double($0.trimmingWhitespace()) }), milliseconds >= 0, milliseconds.isFinite
        {
            return .milliseconds(Int64(milliseconds.rounded(.up)))
        }
        guard let value = retryAfter?.trimmingWhitespace(), !value.isEmpty else { return nil }
        if let seconds = Double(value) {
            guard seconds >= 0, seconds.isFinite else { return nil }
            return .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        guard let date = httpDate(value) else { return nil }
        let wait = max(0, date - now)
        return .milliseconds(Int64((wait * 1000).rounded(.up)))
    }

    /// Seconds since 1970 of an IMF-fixdate, or `nil`.
    static func httpDate(_ value: String) -> Double? {
        // "Wed, 21 Oct 2015 07:28:00 GMT" -> ["Wed,", "21", "Oct", "2015", "07:28:00", "GMT"]
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT",
            let day = Int(parts[1]), (1...31).contains(day),
            let month = months.firstIndex(of: String(parts[2])),
            let year = Int(parts[3]), year >= 1970
        else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]),
            (0..<24).contains(hour), (0..<60).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month + 1, day: day)
        return Double(days * 86_400 + hour * 3_600 + minute * 60 + second)
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days-from-civil).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
