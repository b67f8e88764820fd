// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    // Release builds only: generic and small functions of one module specialized and inlined
    // in the others (the views' projector, the domain's values used by every adapter), and
    // exclusivity checked at compile time only (the run-time checks stay in debug builds,
    // which the tests use). 2.5% fewer instructions for a run; README "Performance".
    .unsafeFlags(["-cross-module-optimization", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "ezinsurance",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ezinsurance", targets: ["ezinsurance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        // Domain core: values and rules only, no file, database or network I/O.
        .target(name: "EzCore", swiftSettings: swiftSettings),
        // One process-wide SQLite setting that only C can make (sqlite3_config is variadic).
        .target(name: "CSQLiteTuning", linkerSettings: [.linkedLibrary("sqlite3")]),
        // Adapters around the core: SQLite store, YAML catalog, inbox/outbox files, gateway.
        .target(
            name: "EzAdapters",
            dependencies: [
                "EzCore", "CSQLiteTuning",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The system SQLite as GRDB links it, for reading rows by column (`ColumnRow`).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The job runner: stages, consumers, jobs; wires core and adapters.
        .target(
            name: "EzRunner",
            dependencies: [
                "EzCore", "EzAdapters",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Thin executable: flags, exit codes.
        .executableTarget(
            name: "ezinsurance",
            dependencies: [
                "EzCore", "EzAdapters", "EzRunner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "EzCoreTests", dependencies: ["EzCore"], resources: [.copy("Fixtures")],
                    swiftSettings: swiftSettings),
        .testTarget(
            name: "EzAdaptersTests",
            dependencies: ["EzCore", "EzAdapters", "EzRunner", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "EndToEndTests", dependencies: [], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
