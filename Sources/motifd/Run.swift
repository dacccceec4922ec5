import ArgumentParser
import Foundation
import Logging
import MotifConfig
import MotifDaemon

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Listen to a live input and serve recognitions to clients over a Unix socket.",
        discussion: """
            Settings come from --config (see Config/motifd.toml); options given here win. \
            For example, with no configuration file: \
            motifd run --input file:Config/demo.flac --library Config/motifs.toml --socket /tmp/m.sock
            """
    )

    @Option(name: .long, help: "Configuration file (TOML).")
    var config: String?

    @Option(name: .long, help: "PortAudio device name or index, 'default', file:PATH (paced replay) or - (raw PCM on stdin).")
    var input: String?

    @Option(name: .long, help: "Motif library: a TOML file or a directory of *.toml files.")
    var library: String?

    @Option(name: .long, help: "Unix socket path.")
    var socket: String?

    @Option(name: .long, help: "Socket file mode, octal (default 0660).")
    var socketMode: String?

    @Option(name: .long, help: "Group owning the socket file.")
    var socketGroup: String?

    @Option(name: .long, help: "Input sample rate (Hz) for devices and stdin.")
    var rate: Int?

    @Option(name: .long, help: "Input channels to open (0: all of the device's).")
    var channels: Int?

    @Option(name: .long, help: "Channel to listen to (0-based); default: mix all down.")
    var channel: Int?

    @Option(name: .long, help: "Raw PCM format on stdin: s16le or f32le.")
    var format: String?

    @Option(name: .long, help: "Frames per PortAudio buffer.")
    var bufferFrames: Int?

    @Option(name: .long, help: "Seconds of audio the capture ring buffer holds.")
    var ringSeconds: Double?

    func resolvedConfiguration() throws -> DaemonConfiguration {
        var settings = DaemonConfiguration()
        if let config { settings = try DaemonConfiguration.load(path: config) }
        if let input { settings.input = input }
        if let library { settings.library = library }
        if let socket { settings.socketPath = socket }
        if let socketMode {
            guard let mode = Int(socketMode, radix: 8) else { throw ValidationError("--socket-mode must be octal, e.g. 0660") }
            settings.socketMode = mode
        }
        if let socketGroup { settings.socketGroup = socketGroup }
        if let rate { settings.sampleRate = rate }
        if let channels { settings.channels = channels }
        if let channel { settings.channel = channel < 0 ? nil : channel }
        if let format { settings.format = format }
        if let bufferFrames { settings.bufferFrames = bufferFrames }
        if let ringSeconds { settings.ringSeconds = ringSeconds }
        try settings.validate(file: config ?? "command line")
        return settings
    }

    func run() async throws {
        LoggingSystem.bootstrap { JournalLogHandler(label: $0) }
        let logger = Logger(label: "motifd")
        let settings: DaemonConfiguration
        let daemon: Daemon
        do {
            settings = try resolvedConfiguration()
            daemon = try Daemon(configuration: settings, logger: logger)
        } catch {
            diagnose("\(error)")
            throw ExitCode(2)
        }
        do {
            try await DaemonService.runUntilSignalled(DaemonService(daemon: daemon), logger: logger)
        } catch {
            diagnose("\(error)")
            throw ExitCode(1)
        }
    }
}
