public import OrchestraRedis

extension WorkflowStore {
    /// Calls and tokens per provider and model since the counters began, summed over every
    /// shard's usage hash (``ShardKeys/usage``) in one round trip; sorted by provider, then model.
    public func usageCounters() async throws(RedisError) -> [ProviderUsage] {
        let replies = try await redis.pipeline(keys.shards.map { ["HGETALL", RedisArgument($0.usage)] })
        var totals: [String: ProviderUsage] = [:]
        for reply in replies {
            for (field, value) in try reply.decodeFieldMap() {
                // "<provider>/<model>:<counter>": models may contain ':' (llama3.1:8b), providers never '/'.
                guard let colon = field.lastIndex(of: ":"), let slash = field.firstIndex(of: "/"), slash < colon,
                    let count = Int(value)
                else { continue }
                let label = String(field[..<colon])
                var usage =
                    totals[label]
                    ?? ProviderUsage(provider: String(field[..<slash]), model: String(field[field.index(after: slash)..<colon]))
                switch field[field.index(after: colon)...] {
                case "calls": usage.calls += count
                case "prompt_tokens": usage.promptTokens += count
                case "completion_tokens": usage.completionTokens += count
                default: continue
                }
                totals[label] = usage
            }
        }
        return totals.values.sorted { ($0.provider, $0.model) < ($1.provider, $1.model) }
    }
}
