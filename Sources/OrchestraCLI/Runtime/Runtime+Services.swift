import Logging
import ServiceLifecycle
import UnixSignals

extension Runtime {
    /// Runs `services` in order (later ones depend on earlier ones, and shut down first) until
    /// SIGTERM or SIGINT, or until one of them ends, which shuts the whole group down gracefully.
    func runServices(_ services: [any Service]) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services.map {
                    .init(
                        service: $0, successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup)
                },
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger
            ))
        try await group.run()
    }
}
