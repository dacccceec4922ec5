import ArgumentParser
import MotifConfig
import MotifCore

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate a configuration and the library it names (or a library alone).",
        discussion: "Exits 0 and says what it checked, or exits 2 with the reason."
    )

    @Option(name: .long, help: "Configuration file (TOML) of motifd run.")
    var config: String?

    @Option(name: .long, help: "Motif library: a TOML file or a directory of *.toml files (overrides the configuration's).")
    var library: String?

    func validate() throws {
        if config == nil && library == nil { throw ValidationError("give --config, --library or both") }
    }

    func run() throws {
        var path = library
        do {
            if let config {
                let settings = try DaemonConfiguration.load(path: config)
                print("\(config): configuration OK (input \(settings.input), socket \(settings.socketPath))")
                path = library ?? settings.library
            }
        } catch {
            diagnose("bad configuration: \(error)")
            throw ExitCode(2)
        }
        guard let path else { return }
        do {
            let motifs = try MotifLibraryLoader.load(path: path)
            print("\(path): \(motifs.count) motifs OK")
        } catch {
            diagnose("bad library: \(error)")
            throw ExitCode(2)
        }
    }
}
