import ArgumentParser
import Foundation
import MotifConfig
import MotifCore
import MotifDaemon

struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run audio files through the live streaming pipeline and print events as JSON Lines.",
        discussion: """
            Each file is decoded, resampled and pushed through the same ring buffer and \
            pipeline as live capture, block by block and causally. Events go to standard \
            output, one JSON object a line; diagnostics go to standard error. A bad file is \
            reported and skipped; the exit status is then 1.
            """
    )

    @Option(name: .long, help: "Motif library: a TOML file or a directory of *.toml files.")
    var library: String

    @Option(name: .long, help: "Comma-separated event types: recognition, candidate, note, pitch.")
    var events: String = "recognition"

    @Flag(name: .long, help: "No progress lines on standard error.")
    var quiet = false

    @Argument(help: "Audio files (WAV, FLAC, OGG, MP3, ... at any sample rate).")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one audio file") }
        if case .failure(let error) = EventKinds.parse(events) { throw ValidationError(error.description) }
    }

    func run() throws {
        let kinds = try EventKinds.parse(events).get()
        let motifs: MotifLibrary
        do { motifs = try MotifLibraryLoader.load(path: library) } catch {
            diagnose("bad library: \(error)")
            throw ExitCode(2)
        }
        let analyzer = FileAnalyzer(library: motifs, kinds: kinds) { bytes in
            FileDescriptorWriter.standardOutput.write(bytes)
        }
        let showProgress = !quiet && isatty(STDERR_FILENO) != 0
        var failures = 0
        for path in files {
            do {
                let summary = try analyzer.analyze(path: path, source: path, progress: showProgress ? { done, total in
                    let percent = total > 0 ? min(100, 100 * done / total) : 0
                    FileHandle.standardError.write(Data(String(format: "\rmotifd: %@ %.0f s of %.0f s (%.0f%%)", path, done, total, percent).utf8))
                } : nil)
                if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                if summary.nonFiniteSamples > 0 {
                    diagnose("\(path): \(summary.nonFiniteSamples) NaN or infinite samples replaced by silence")
                }
            } catch {
                if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                diagnose("\(error)")
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
