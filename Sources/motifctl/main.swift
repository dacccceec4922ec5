import ArgumentParser

/// The client of the live daemon. The daemon's socket protocol is not built yet (see the
/// README); until then motifctl only says so, with a non-zero status.
struct Motifctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motifctl",
        abstract: "Client of the motifd live daemon (subscribe, status, motifs, reload).",
        discussion: "The live daemon (motifd run) and its socket protocol are not implemented yet."
    )

    func run() throws {
        print("motifctl: the live daemon's socket protocol is not implemented yet; use motifd analyze")
        throw ExitCode(3)
    }
}

Motifctl.main()
