/// An environment variable has a value the configuration cannot use.
///
/// The description names the variable and the expected form. It repeats the bad value only for
/// variables that cannot hold secrets (never for `API_KEY` or `REDIS_URL`).
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The environment variable at fault.
    public let variable: String
    /// What a valid value looks like.
    public let expected: String
    /// The rejected value, when it is safe to show.
    let shownValue: String?

    /// An error for `variable`; `value` is shown (cut to 64 characters) unless `nil`: pass `nil`
    /// for anything that may hold a secret.
    public init(variable: String, expected: String, value: String?) {
        self.variable = variable
        self.expected = expected
        self.shownValue = value.map { $0.count > 64 ? String($0.prefix(64)) + "…" : $0 }
    }

    /// `PORT: expected an integer in 0...65535, got 'abc'`.
    public var description: String {
        let got = shownValue.map { ", got '\($0)'" } ?? ""
        return "invalid \(variable): expected \(expected)\(got)"
    }
}
