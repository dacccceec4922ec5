import Foundation
import MotifConfig
import MotifCore

/// Test scenes: library motifs played at chosen transpositions and tempi, with wandering
/// filler notes before each, rendered by the synthesiser.
enum SceneRenderer {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let libraryPath = root.appendingPathComponent("Config/motifs.toml").path

    static func exampleLibrary() throws -> MotifLibrary { try MotifLibraryLoader.load(path: libraryPath) }

    /// Mono samples at `rate` and the start time of each played motif.
    static func render(_ plays: [(String, Int, Double)], rate: Int, leadIn: Double = 1) throws -> (samples: [Float], starts: [Double]) {
        let motifs = try exampleLibrary()
        var events: [MelodySynthesizer.Event] = []
        var time = leadIn
        var starts: [Double] = []
        for (id, transposition, bpm) in plays {
            for k in 0..<6 {
                events.append(.init(midi: Double(62 + (k * 5) % 9), start: time, duration: 0.3))
                time += 0.4
            }
            time += 0.5
            guard let motif = motifs.motifs.first(where: { $0.id == id }) else { throw NSError(domain: "no motif \(id)", code: 1) }
            starts.append(time)
            events += MelodySynthesizer.events(of: motif, transposition: transposition, bpm: bpm, start: time, legato: 0.8)
            time += MelodySynthesizer.duration(of: motif, bpm: bpm) + 1
        }
        return (MelodySynthesizer(sampleRate: rate).render(events, timbre: .clarinet, seconds: time + 1), starts)
    }
}
