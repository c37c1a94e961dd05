// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "firedrill",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "csv-analyzer", targets: ["csv-analyzer"]),
        .executable(name: "firedrill", targets: ["firedrill"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Foundation-only helpers every module shares: the duration grammar, JSON escaping,
        // did-you-mean, Prometheus exposition parsing, process spawning, signal handling.
        .target(name: "FiredrillSupport"),
        // What the Hummingbird servers (csv-analyzer, the web UI) share: JSON 404/405 for requests no route takes.
        .target(
            name: "FiredrillRouting",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
        // Pure, deterministic: CSV, schema, generate_features, learners, metrics.
        .target(name: "AnalyzerCore"),
        // Persistence behind one protocol: SQLite (embedded default) or PostgreSQL (postgres-nio pool).
        .target(
            name: "AnalyzerStore",
            dependencies: [
                "AnalyzerCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The wire contract between csv-analyzer and its harness: admin bodies, reports, errors.
        .target(name: "AnalyzerAPI", dependencies: ["FiredrillSupport"]),
        // The Hummingbird application: API, HTML, /metrics.
        .target(
            name: "AnalyzerServer",
            dependencies: [
                "AnalyzerCore", "AnalyzerStore", "AnalyzerAPI", "FiredrillSupport", "FiredrillRouting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The OpenAPI document is compiled into the binary (`GET /openapi.json`), no bundle to ship.
            resources: [.embedInCode("HTTP/openapi.json")]),
        // Linux's epoll/eventfd headers for LoadKit's socket transport.
        .target(name: "CEpoll"),
        // The load engine: knows nothing about csv-analyzer.
        .target(
            name: "LoadKit",
            dependencies: [
                "FiredrillSupport", "CEpoll",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // A Locust worker: Locust 2.x's distributed protocol (ZMTP 3 over NIO, msgpack) driving LoadKit runs.
        .target(
            name: "WorkerKit",
            dependencies: [
                "LoadKit", "FiredrillSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Fault control, Prometheus/Alertmanager clients, runbooks, drill runner.
        .target(
            name: "DrillKit",
            dependencies: [
                "LoadKit", "AnalyzerAPI", "FiredrillSupport", "ProxyKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The fault proxy: Toxiproxy's API and toxics over raw NIO channels.
        .target(
            name: "ProxyKit",
            dependencies: [
                "FiredrillSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Regression gates over LoadKit's summaries and DrillKit's journals: compare, A/B rounds, reports.
        .target(
            name: "GateKit",
            dependencies: [
                "LoadKit", "DrillKit", "FiredrillSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        // The live web UI of `firedrill load --web` and `firedrill drill --web`: Locust's REST endpoints,
        // the pages (compiled in), live streams; a Hummingbird server on a thread of its own.
        .target(
            name: "FiredrillWeb",
            dependencies: [
                "LoadKit", "DrillKit", "FiredrillSupport", "FiredrillRouting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .embedInCode("Page/load.html"), .embedInCode("Page/drill.html"), .embedInCode("Page/style.css"),
                .embedInCode("Page/charts.js"),
            ]),
        .executableTarget(
            name: "csv-analyzer",
            dependencies: [
                "AnalyzerServer", "AnalyzerStore", "AnalyzerAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "firedrill",
            dependencies: [
                "LoadKit", "DrillKit", "GateKit", "AnalyzerAPI", "FiredrillSupport", "ProxyKit", "WorkerKit", "FiredrillWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Release-built benchmark runner; numbers go to BENCHMARKS.md.
        .executableTarget(
            name: "analyzer-bench",
            dependencies: ["AnalyzerCore"],
            path: "Benchmarks/analyzer-bench"),
        // What tests share: the process table (`/proc`) of the processes they start.
        .target(name: "FiredrillTestSupport", path: "Tests/FiredrillTestSupport"),
        .testTarget(name: "FiredrillSupportTests", dependencies: ["FiredrillSupport", "FiredrillTestSupport"]),
        .testTarget(
            name: "FiredrillRoutingTests",
            dependencies: [
                "FiredrillRouting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
        .testTarget(name: "AnalyzerCoreTests", dependencies: ["AnalyzerCore"]),
        .testTarget(name: "AnalyzerStoreTests", dependencies: ["AnalyzerStore"]),
        .testTarget(name: "AnalyzerAPITests", dependencies: ["AnalyzerAPI"]),
        .testTarget(
            name: "AnalyzerServerTests",
            dependencies: [
                "AnalyzerServer", "AnalyzerStore", "AnalyzerAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        .testTarget(
            name: "LoadKitTests",
            dependencies: [
                "LoadKit", "FiredrillSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .testTarget(
            name: "WorkerKitTests",
            dependencies: [
                "WorkerKit", "LoadKit",
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(
            name: "ProxyKitTests",
            dependencies: [
                "ProxyKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(
            name: "DrillKitTests",
            dependencies: [
                "DrillKit", "AnalyzerAPI", "LoadKit", "FiredrillSupport", "ProxyKit",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "GateKitTests",
            dependencies: [
                "GateKit", "LoadKit", "DrillKit", "AnalyzerCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .testTarget(
            name: "FiredrillWebTests",
            dependencies: [
                "FiredrillWeb", "LoadKit", "DrillKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // Tests that start csv-analyzer (in process or its binary) and drive it with DrillKit/LoadKit.
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "DrillKit", "LoadKit", "AnalyzerServer", "AnalyzerAPI", "FiredrillSupport", "FiredrillTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]),
    ]
)
