import OrchestraConfig

extension SettingsReader {
    /// `PROVIDER_MAX_CONCURRENCY_<NAME>` and `PROVIDER_RPM_<NAME>` for every `<NAME>` present.
    func limits(knownProviders: [String]) throws(ConfigurationError) -> [String: ProviderLimits] {
        let bySuffix = Dictionary(uniqueKeysWithValues: knownProviders.map { (ProviderLimits.variableSuffix(for: $0), $0) })
        var limits: [String: ProviderLimits] = [:]
        for name in names {
            let dimension: WritableKeyPath<ProviderLimits, Int?>
            let suffix: Substring
            if name.hasPrefix("PROVIDER_MAX_CONCURRENCY_") {
                dimension = \.maxConcurrency
                suffix = name.dropFirst("PROVIDER_MAX_CONCURRENCY_".count)
            } else if name.hasPrefix("PROVIDER_RPM_") {
                dimension = \.requestsPerMinute
                suffix = name.dropFirst("PROVIDER_RPM_".count)
            } else {
                continue
            }
            guard let value = try self.integer(name, atLeast: 1) else { continue }
            guard let provider = bySuffix[String(suffix)] else {
                let known = bySuffix.keys.sorted().joined(separator: ", ")
                throw ConfigurationError(variable: name, expected: "a provider name as its suffix (known: \(known))", value: nil)
            }
            limits[provider, default: .unlimited][keyPath: dimension] = value
        }
        return limits
    }
}
