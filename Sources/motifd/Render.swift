import ArgumentParser
import Foundation
import MotifAudio
import MotifConfig
import MotifCore

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Synthesise a test recording of library motifs (for demos and tests).",
        discussion: """
            Each PLAY is ID[:TRANSPOSITION[:BPM]], e.g. fate:-3:150. Motifs play in order with \
            wandering filler notes between them, so that they have to be found inside music. \
            The file type follows the extension: .wav, .flac or .ogg.
            """
    )

    @Option(name: .long, help: "Motif library the ids come from.")
    var library: String

    @Option(name: .shortAndLong, help: "Output audio file.")
    var output: String

    @Option(name: .long, help: "Sample rate of the output (Hz).")
    var rate: Int = 22_050

    @Option(name: .long, help: "Timbre: flute, clarinet, plucked or brass.")
    var timbre: String = "clarinet"

    @Option(name: .long, help: "Seconds of filler notes between motifs.")
    var gap: Double = 2.5

    @Option(name: .long, help: "Fraction of its written length a note sounds.")
    var legato: Double = 0.8

    @Option(name: .long, help: "Seed of the filler notes.")
    var seed: UInt64 = 1

    @Argument(help: "What to play: ID[:TRANSPOSITION[:BPM]] ...")
    var plays: [String]

    func run() throws {
        let motifs = try MotifLibraryLoader.load(path: library)
        let timbres: [String: MelodySynthesizer.Timbre] = [
            "flute": .flute, "clarinet": .clarinet, "plucked": .plucked, "brass": .brass,
        ]
        guard let sound = timbres[timbre] else { throw ValidationError("unknown timbre '\(timbre)'") }
        var generator = SplitMix64(seed: seed)
        var events: [MelodySynthesizer.Event] = []
        var time = 0.5
        var fillerPitch = 67.0
        func filler(_ seconds: Double) {
            let end = time + seconds
            while time + 0.25 < end {
                let length = [0.25, 0.5, 0.5, 0.75][Int(generator.next() % 4)]
                fillerPitch = min(79, max(55, fillerPitch + Double(Int(generator.next() % 7) - 3)))
                events.append(.init(midi: fillerPitch, start: time, duration: length * 0.9, velocity: 0.25))
                time += length
            }
            time = end
        }
        for play in plays {
            let parts = play.split(separator: ":").map(String.init)
            guard let motif = motifs.motifs.first(where: { $0.id == parts[0] }) else {
                throw ValidationError("no motif '\(parts[0])' in \(library)")
            }
            let transposition = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            let bpm = parts.count > 2 ? Double(parts[2]) ?? 120 : 120
            filler(gap)
            events += MelodySynthesizer.events(of: motif, transposition: transposition, bpm: bpm, start: time, legato: legato)
            time += MelodySynthesizer.duration(of: motif, bpm: bpm) + 0.3
            print(String(format: "%@ at %.2f s, %+d semitones, %.0f bpm", motif.id, time - MelodySynthesizer.duration(of: motif, bpm: bpm) - 0.3, transposition, bpm))
        }
        filler(gap)
        let samples = MelodySynthesizer(sampleRate: rate).render(events, timbre: sound, seconds: time + 0.5)
        let container: AudioFileWriter.Container
        switch (output as NSString).pathExtension.lowercased() {
        case "flac": container = .flac16
        case "ogg": container = .oggVorbis
        default: container = .wav16
        }
        let writer = try AudioFileWriter(path: output, sampleRate: rate, container: container)
        writer.write(samples)
    }
}

/// A tiny deterministic random generator, so renders are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
