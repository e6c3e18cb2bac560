/// How much of a provider the whole cluster may use at once.
///
/// Read from `PROVIDER_MAX_CONCURRENCY_<NAME>` and `PROVIDER_RPM_<NAME>`, where `<NAME>` is the
/// provider's name in upper case with `-` as `_` (`OPENAI`, `ANTHROPIC`, `GROK`, `OPENAI_COMPATIBLE`,
/// `ECHO`). `PROVIDER_MAX_CONCURRENCY` and `PROVIDER_RPM` without a suffix set the default for every
/// remote provider (not `echo`). Unset means unlimited.
public struct ProviderLimits: Sendable, Hashable, CustomStringConvertible {
    /// The most calls in flight at once across all workers; `nil` for no limit.
    public var maxConcurrency: Int?
    /// The most calls started per minute across all workers; `nil` for no limit.
    public var requestsPerMinute: Int?

    /// No limit at all.
    public static let unlimited = ProviderLimits()

    /// Creates limits; `nil` leaves a dimension unlimited.
    public init(maxConcurrency: Int? = nil, requestsPerMinute: Int? = nil) {
        self.maxConcurrency = maxConcurrency
        self.requestsPerMinute = requestsPerMinute
    }

    /// Whether neither dimension is limited.
    public var isUnlimited: Bool {
        self.maxConcurrency == nil && self.requestsPerMinute == nil
    }

    /// For example `max 8 concurrent, 500 rpm`.
    public var description: String {
        if self.isUnlimited { return "unlimited" }
        return [
            self.maxConcurrency.map { "max \($0) concurrent" },
            self.requestsPerMinute.map { "\($0) rpm" },
        ].compactMap { $0 }.joined(separator: ", ")
    }

    /// The environment-variable suffix of a provider name: `openai-compatible` → `OPENAI_COMPATIBLE`.
    public static func variableSuffix(for provider: String) -> String {
        provider.uppercased().replacing("-", with: "_")
    }
}
