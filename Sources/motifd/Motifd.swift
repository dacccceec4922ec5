import ArgumentParser
import Foundation
import MotifAudio
import MotifConfig
import MotifCore
import MotifDaemon

@main
struct Motifd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motifd",
        abstract: "Real-time leitmotif listener: tells which theme of its library is playing.",
        version: MotifdVersion.string,
        subcommands: [Run.self, Analyze.self, Check.self, Devices.self, Render.self]
    )
}

enum MotifdVersion {
    static let string = DaemonVersion.string
}

/// Prints `motifd: message` on standard error.
func diagnose(_ message: String) {
    FileHandle.standardError.write(Data("motifd: \(message)\n".utf8))
}
