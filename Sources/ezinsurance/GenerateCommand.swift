import ArgumentParser
import EzAdapters
import EzCore
import EzRunner
import Foundation

/// `ezinsurance generate`: deterministic realistic requests for benchmarks and load tests.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write N generated requests (JSON Lines or CSV) for benchmarks; same seed, same bytes.")

    @OptionGroup var common: CommonOptions
    @Option(help: "How many lines.") var count: Int
    @Option(help: "Seed of the generator.") var seed: UInt64 = 1
    @Option(help: "jsonl or csv.") var format: String = "jsonl"
    @Option(help: "Prefix of the request ids (use another prefix for a second, disjoint batch).") var prefix = "GEN"
    @Option(help: "Output file (written under a .part name, then renamed); with --days, a folder.") var out: String
    @Option(help: "Spread the requests over this many business days ending at --as-of, one file per day (requests-YYYY-MM-DD.jsonl), so withdrawals can fall inside and outside their window.")
    var days = 1

    func run() throws {
        try withExitCodes {
            guard count >= 0 else { throw ValidationError("--count must not be negative") }
            guard let fmt = RequestGenerator.Format(rawValue: format) else { throw ValidationError("--format: jsonl or csv") }
            let env = try Environment(common)
            let catalog = try CatalogService.load(home: env.home)
            guard days >= 1 else { throw ValidationError("--days must be at least 1") }
            var generator = RequestGenerator(catalog: catalog, asOf: env.asOf, seed: seed, format: fmt, prefix: prefix)
            if days == 1 {
                try write(count, to: URL(fileURLWithPath: out), generator: &generator, format: fmt)
            } else {
                let folder = URL(fileURLWithPath: out, isDirectory: true)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for k in 0..<days {
                    let day = env.asOf.adding(days: k - days + 1)
                    generator.startDay(day)
                    let n = count / days + (k < count % days ? 1 : 0)
                    try write(n, to: folder.appendingPathComponent("requests-\(day).\(fmt.rawValue)"),
                              generator: &generator, format: fmt)
                }
            }
            Swift.print("wrote \(count) \(fmt.rawValue) lines to \(out) (seed \(seed), \(days) day(s) ending \(env.asOf))")
        }
    }

    private func write(_ count: Int, to target: URL, generator: inout RequestGenerator,
                       format fmt: RequestGenerator.Format) throws {
        let part = target.deletingLastPathComponent().appendingPathComponent("." + target.lastPathComponent + ".part")
        _ = FileManager.default.createFile(atPath: part.path, contents: nil)
        let handle = try FileHandle(forWritingTo: part)
        var buffer = fmt == .csv ? RequestGenerator.csvHeader + "\n" : ""
        for _ in 0..<count {
            buffer += generator.next()
            buffer += "\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer.utf8))
        try handle.close()
        guard rename(part.path, target.path) == 0 else {
            throw RunnerError.internalError("cannot rename \(part.path) to \(target.path)")
        }
    }
}
