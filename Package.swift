// swift-tools-version:6.1
import PackageDescription

/// Settings every target shares: Swift 6 language mode with the upcoming features the
/// Swift server ecosystem (hummingbird, swift-jobs) builds with.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "ai-orchestra",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "orchestra", targets: ["OrchestraCLI"]),
        .executable(name: "orchestra-bench", targets: ["OrchestraBench"]),
        .library(name: "OrchestraRedis", targets: ["OrchestraRedis"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket.git", from: "1.6.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        // Hummingbird's dependency already; no traits: the environment provider is all we use.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // C shim over Debian's libhiredis-dev (0.14; only APIs that also exist in 1.x).
        .systemLibrary(name: "CHiredis", path: "Sources/CHiredis"),
        .target(
            name: "OrchestraRedis",
            dependencies: [
                "CHiredis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Concurrency helpers shared by the scheduler, the providers and the worker.
        .target(
            name: "OrchestraConcurrency",
            swiftSettings: swiftSettings
        ),
        // Metrics in Prometheus's conventions (swift-metrics API, swift-prometheus export).
        .target(
            name: "OrchestraMetrics",
            dependencies: [
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The API contract: JSON, request and status models, validation, DAG plans, SSE framing.
        .target(
            name: "OrchestraAPI",
            swiftSettings: swiftSettings
        ),
        // The agents domain: roles and prompts, delegation plans, workflow patterns.
        .target(
            name: "OrchestraAgents",
            dependencies: ["OrchestraAPI"],
            swiftSettings: swiftSettings
        ),
        // Process configuration: flags, the environment and `.env` files, read through one swift-configuration reader.
        .target(
            name: "OrchestraConfig",
            dependencies: [
                "OrchestraAPI",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OrchestraScheduler",
            dependencies: [
                "OrchestraRedis",
                "OrchestraAPI", "OrchestraConfig",
                "OrchestraConcurrency",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OrchestraProviders",
            dependencies: [
                "OrchestraAPI", "OrchestraAgents", "OrchestraConfig",
                "OrchestraConcurrency",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OrchestraGateway",
            dependencies: [
                "OrchestraMetrics",
                "OrchestraConcurrency",
                "OrchestraAPI", "OrchestraAgents", "OrchestraConfig",
                "OrchestraRedis",
                "OrchestraScheduler",
                "OrchestraProviders",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The dashboard's page, compiled into the binary: it works offline and needs no files beside it.
            resources: [
                .embedInCode("Dashboard/index.html"), .embedInCode("Dashboard/dashboard.css"), .embedInCode("Dashboard/dashboard.js"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OrchestraWorker",
            dependencies: [
                "OrchestraMetrics",
                "OrchestraConcurrency",
                "OrchestraAPI", "OrchestraAgents", "OrchestraConfig",
                "OrchestraRedis",
                "OrchestraScheduler",
                "OrchestraProviders",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        // The REST client of the gateway and child-process supervision, shared by the CLI and the benchmarks.
        .target(
            name: "OrchestraClient",
            dependencies: [
                "OrchestraAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // `orchestra-bench`: the benchmarks, out of the production binary.
        .executableTarget(
            name: "OrchestraBench",
            dependencies: [
                "OrchestraAPI", "OrchestraConfig", "OrchestraClient", "OrchestraRedis", "OrchestraScheduler",
                // Loopback helpers the benchmarks share with the tests (a stalled reader, /proc memory).
                "OrchestraTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "OrchestraCLI",
            dependencies: [
                "OrchestraClient",
                "OrchestraMetrics",
                "OrchestraRedis",
                "OrchestraAPI", "OrchestraConfig",
                "OrchestraScheduler",
                "OrchestraProviders",
                "OrchestraGateway",
                "OrchestraWorker",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OrchestraTestSupport",
            dependencies: ["OrchestraRedis"],
            path: "Tests/OrchestraTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestraRedisTests",
            dependencies: ["OrchestraRedis", "OrchestraTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestraConcurrencyTests",
            dependencies: ["OrchestraConcurrency"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestraSchedulerTests",
            dependencies: [
                "OrchestraScheduler", "OrchestraRedis", "OrchestraAPI", "OrchestraAgents", "OrchestraTestSupport",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestraAPITests",
            dependencies: ["OrchestraAPI", "OrchestraAgents"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestraAgentsTests",
            dependencies: ["OrchestraAgents", "OrchestraAPI"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestraConfigTests",
            dependencies: ["OrchestraConfig", "OrchestraAPI"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OrchestraProviderTestSupport",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/OrchestraProviderTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestraProvidersTests",
            dependencies: [
                "OrchestraAPI", "OrchestraAgents", "OrchestraConfig",
                "OrchestraProviders",
                "OrchestraTestSupport",
                "OrchestraProviderTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestraGatewayTests",
            dependencies: [
                "OrchestraGateway",
                "OrchestraAPI", "OrchestraConfig",
                "OrchestraScheduler",
                "OrchestraProviders",
                "OrchestraTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestraWorkerTests",
            dependencies: [
                "OrchestraWorker",
                "OrchestraConcurrency",
                "OrchestraAPI", "OrchestraAgents", "OrchestraConfig",
                "OrchestraScheduler",
                "OrchestraProviders",
                "OrchestraTestSupport",
                "OrchestraProviderTestSupport",
                "OrchestraRedis",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OrchestraEndToEndTests",
            dependencies: [
                "OrchestraAPI",
                "OrchestraRedis",
                "OrchestraScheduler",
                "OrchestraTestSupport",
                "OrchestraProviderTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "WSClient", package: "swift-websocket"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
