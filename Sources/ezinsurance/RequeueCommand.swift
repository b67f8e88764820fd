import ArgumentParser
import EzAdapters
import EzRunner
import Foundation

/// `ezinsurance requeue NAME`: moves a fixed file from `rejected/` back into the inbox.
struct RequeueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requeue",
        abstract: "Move a fixed file from <home>/rejected back to the inbox (its errors sidecar is removed).")

    @OptionGroup var common: CommonOptions
    @Argument(help: "File name inside <home>/rejected (no folders).") var name: String

    func run() throws {
        try withExitCodes {
            guard !name.isEmpty, !name.contains("/"), name != ".", name != "..", !name.hasPrefix("."),
                  !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                throw RunnerError.usage("'\(name)' is not a plain file name inside rejected/")
            }
            let env = try Environment(common)
            let source = env.home.rejected.appendingPathComponent(name)
            let target = env.home.inbox.appendingPathComponent(name)
            var st = stat()
            guard lstat(source.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
                throw RunnerError.usage("no regular file \(name) in \(env.home.rejected.path)")
            }
            guard !FileManager.default.fileExists(atPath: target.path) else {
                throw RunnerError.usage("\(target.path) already exists")
            }
            guard rename(source.path, target.path) == 0 else {
                throw RunnerError.internalError("cannot move \(source.path): \(String(cString: strerror(errno)))")
            }
            try? FileManager.default.removeItem(atPath: source.path + ".errors.jsonl")
            Swift.print("requeued \(name) -> \(target.path); the next run picks it up")
        }
    }
}
