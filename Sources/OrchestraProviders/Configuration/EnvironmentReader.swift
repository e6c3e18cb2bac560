/// Reads typed values from an environment dictionary; empty values count as unset.
struct EnvironmentReader {
    let environment: [String: String]

    init(_ environment: [String: String]) {
        self.environment = environment
    }

    func string(_ name: String) -> String? {
        guard let raw = self.environment[name] else { return nil }
        let value = raw.trimmingWhitespace()
        return value.isEmpty ? nil : value
    }

    func integer(_ name: String, minimum: Int) throws -> Int? {
        guard let text = self.string(name) else { return nil }
        guard let value = Int(text), value >= minimum else {
            throw ProviderConfigurationError(variable: name, message: "must be an integer ≥ \(minimum) (got '\(text.prefix(32))')")
        }
        return value
    }

    func url(_ name: String) throws -> String? {
        guard let text = self.string(name) else { return nil }
        let lowered = text.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), text.count > 8 else {
            throw ProviderConfigurationError(variable: name, message: "must be an http:// or https:// URL")
        }
        return text
    }

    /// `PROVIDER_MAX_CONCURRENCY_<NAME>` and `PROVIDER_RPM_<NAME>` for every `<NAME>` present.
    func limits(knownProviders: [String]) throws -> [String: ProviderLimits] {
        let bySuffix = Dictionary(uniqueKeysWithValues: knownProviders.map { (ProviderLimits.variableSuffix(for: $0), $0) })
        var limits: [String: ProviderLimits] = [:]
        for name in self.environment.keys.sorted() {
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
            guard let value = try self.integer(name, minimum: 1) else { continue }
            guard let provider = bySuffix[String(suffix)] else {
                let known = bySuffix.keys.sorted().joined(separator: ", ")
                throw ProviderConfigurationError(variable: name, message: "names no provider (known suffixes: \(known))")
            }
            limits[provider, default: .unlimited][keyPath: dimension] = value
        }
        return limits
    }
}
