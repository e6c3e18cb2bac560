import Foundation

/// An IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`) `seconds` from now, formatted by Foundation so the
/// parser under test is checked against an independent implementation.
func httpDate(secondsFromNow seconds: Int) -> String {
    httpDate(Date().addingTimeInterval(Double(seconds)))
}

/// An IMF-fixdate of `date`.
func httpDate(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    return formatter.string(from: date)
}
