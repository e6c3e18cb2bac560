import OrchestraConfig

/// One call's claim on a provider's limits.
struct Permit: Sendable {
    let keys: ProviderLimiterKeys
    let token: String
    let limits: ProviderLimits
}

extension Duration {
    /// The duration in whole milliseconds, rounded down.
    var wholeMilliseconds: Int {
        Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }
}
