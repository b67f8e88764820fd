import ArgumentParser
import EzCore

/// Flags every command takes: where the home is and which business date it is.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Home directory (default: $EZINSURANCE_HOME, else ./var).")
    var home: String?

    @Option(name: .customLong("as-of"), help: "Business date YYYY-MM-DD (default: today in Asia/Seoul).")
    var asOf: String?
}
