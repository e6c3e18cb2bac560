import ArgumentParser

/// Options every server command shares. Each flag overrides the variable of the same meaning,
/// which overrides `.env`, so there is one configuration path (``Runtime``).
struct CommonOptions: ParsableArguments {
    @Option(help: "The .env file to read (variables already set in the environment win).")
    var envFile = ".env"

    @Option(help: "Redis URL (REDIS_URL), e.g. redis://:password@127.0.0.1:6379/0.")
    var redisURL: String?

    @Option(help: "Log level (LOG_LEVEL): trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    /// The environment overrides these flags stand for.
    var overrides: [String: String] {
        var values: [String: String] = [:]
        values["REDIS_URL"] = redisURL
        values["LOG_LEVEL"] = logLevel
        return values
    }
}
