import OrchestraConfig
import Testing

@Suite("Configuration: the gateway's HTTP connection limits")
struct HTTPLimitsConfigurationTests {
    @Test("Defaults: 60 s idle, 10 s header, 30 s body, 4096 connections")
    func defaults() throws {
        let configuration = try OrchestraConfiguration(environment: [:])
        #expect(configuration.httpIdleTimeoutSeconds == 60)
        #expect(configuration.httpHeaderTimeoutSeconds == 10)
        #expect(configuration.httpBodyTimeoutSeconds == 30)
        #expect(configuration.httpMaxConnections == 4096)
    }

    @Test("Read from the environment")
    func environment() throws {
        let configuration = try OrchestraConfiguration(environment: [
            "HTTP_IDLE_TIMEOUT_SECONDS": "5", "HTTP_HEADER_TIMEOUT_SECONDS": "0.5", "HTTP_BODY_TIMEOUT_SECONDS": "120",
            "HTTP_MAX_CONNECTIONS": "10",
        ])
        #expect(configuration.httpIdleTimeoutSeconds == 5)
        #expect(configuration.httpHeaderTimeoutSeconds == 0.5)
        #expect(configuration.httpBodyTimeoutSeconds == 120)
        #expect(configuration.httpMaxConnections == 10)
    }

    @Test(
        "Unusable values name their variable",
        arguments: [
            ("HTTP_IDLE_TIMEOUT_SECONDS", "0"), ("HTTP_HEADER_TIMEOUT_SECONDS", "-1"), ("HTTP_BODY_TIMEOUT_SECONDS", "abc"),
            ("HTTP_MAX_CONNECTIONS", "0"), ("HTTP_MAX_CONNECTIONS", "many"),
        ])
    func invalid(_ variable: String, _ value: String) {
        #expect(throws: ConfigurationError.self) { try OrchestraConfiguration(environment: [variable: value]) }
        do {
            _ = try OrchestraConfiguration(environment: [variable: value])
        } catch {
            #expect(error.variable == variable)
        }
    }
}
