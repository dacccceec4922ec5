import ArgumentParser
import MotifConfig
import MotifCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a motif library; exit non-zero with the reason if it is bad."
    )

    @Option(name: .long, help: "Motif library: a TOML file or a directory of *.toml files.")
    var library: String

    func run() throws {
        do {
            let motifs = try MotifLibraryLoader.load(path: library)
            print("\(library): \(motifs.count) motifs OK")
        } catch {
            diagnose("bad library: \(error)")
            throw ExitCode(2)
        }
    }
}
