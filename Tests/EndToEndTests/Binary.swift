// Runs the BUILT `ezinsurance` executable as a child process.
//
// The EndToEndTests target deliberately has no dependency on the executable target, so
// `swift test` does not build it for us. Build it first:
//
//     swift build                      # then
//     swift test --filter EndToEndTests
//
// The binary is taken from `$EZINSURANCE_BIN` when set (e.g. when building with another
// scratch path: `EZINSURANCE_BIN=.build-e2e/debug/ezinsurance swift test --scratch-path
// .build-e2e --filter EndToEndTests`), else from `<package root>/.build/debug/ezinsurance`.

import Foundation

/// What one invocation of the binary did.
struct RunResult: CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String {
        "ezinsurance \(arguments.joined(separator: " ")) -> exit \(status)\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)"
    }
}

struct BinaryError: Error, CustomStringConvertible {
    let description: String
}

enum Binary {
    /// The package root: this file is `<root>/Tests/EndToEndTests/Binary.swift`.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The repository's `data/` (catalog, templates) used to seed fresh homes.
    static let dataDirectory: URL = packageRoot.appendingPathComponent("data")

    /// Where the executable is, or a clear error telling how to build it.
    static func location() throws -> URL {
        let env = ProcessInfo.processInfo.environment
        let url: URL
        if let custom = env["EZINSURANCE_BIN"], !custom.isEmpty {
            url = custom.hasPrefix("/")
                ? URL(fileURLWithPath: custom)
                : packageRoot.appendingPathComponent(custom)
        } else {
            url = packageRoot.appendingPathComponent(".build/debug/ezinsurance")
        }
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw BinaryError(description: """
                ezinsurance binary not found or not executable at \(url.path). \
                The end-to-end tests run the built executable: run `swift build` before \
                `swift test` (or point EZINSURANCE_BIN at the binary, e.g. \
                EZINSURANCE_BIN=.build-e2e/debug/ezinsurance when using --scratch-path .build-e2e).
                """)
        }
        return url
    }

    /// Runs the binary with `arguments`, waits (at most `timeout` seconds) and captures
    /// stdout, stderr and the exit status. Output goes through temporary files, so a chatty
    /// child can never block on a full pipe.
    static func run(_ arguments: [String], environment extra: [String: String] = [:],
                    timeout: TimeInterval = 30) throws -> RunResult {
        let executable = try location()
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("ez-e2e-io-\(UUID().uuidString)")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = fm.createFile(atPath: outURL.path, contents: nil)
        _ = fm.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["EZINSURANCE_DATA"] = dataDirectory.path
        environment.removeValue(forKey: "EZINSURANCE_HOME")
        // Files are dropped complete (temp name, then rename); the settle test sets its own.
        environment["EZINSURANCE_INBOX_SETTLE_SECONDS"] = "0"
        // Deferred payments are retried at the next run; the backoff test sets its own.
        environment["EZINSURANCE_RETRY_BACKOFF_SECONDS"] = "0"
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle

        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                try? outHandle.close()
                try? errHandle.close()
                throw BinaryError(description: "ezinsurance \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s")
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
        let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
        return RunResult(arguments: arguments, status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}
