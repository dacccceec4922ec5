import Foundation

/// How much each motif note tells, measured against the library itself.
///
/// A chance match is likelier for a generic step (a scale step in an even rhythm, the
/// stuff folk tunes are made of) than for a rare leap or a dotted rhythm. The library is
/// the best sample we have of the music it will hear, so the surprisal of each note's
/// interval and of its onset-interval ratio under the library's own histograms (smoothed)
/// measures how much matching that note says. Credits are normalised to mean 1 over the
/// library so the acceptance threshold keeps its meaning for any library.
public enum NoteInformation {
    /// Per motif, per note: the credit of matching that note (note 0 gets none).
    public static func credits(of motifs: [CompiledMotif], uniform: Float) -> [[Float]] {
        var intervalCounts = [Float](repeating: 1, count: 2 * intervalRange + 1)  // add-one smoothing
        var ratioCounts = [Float](repeating: 1, count: 2 * ratioRange + 1)
        for motif in motifs {
            for j in 1..<max(1, motif.count) {
                intervalCounts[intervalBin(motif, j)] += 1
                if let bin = ratioBin(motif, j) { ratioCounts[bin] += 1 }
            }
        }
        let intervalTotal = intervalCounts.reduce(0, +), ratioTotal = ratioCounts.reduce(0, +)
        var raw: [[Float]] = []
        var sum: Float = 0, count: Float = 0
        for motif in motifs {
            var notes = [Float](repeating: 0, count: motif.count)
            for j in 1..<max(1, motif.count) {
                var bits = -log2(intervalCounts[intervalBin(motif, j)] / intervalTotal)
                if let bin = ratioBin(motif, j) { bits += -log2(ratioCounts[bin] / ratioTotal) }
                notes[j] = bits
                sum += bits
                count += 1
            }
            raw.append(notes)
        }
        let mean = count > 0 ? sum / count : 1
        return raw.map { notes in
            notes.indices.map { $0 == 0 ? 0 : uniform + (1 - uniform) * notes[$0] / mean }
        }
    }

    private static let intervalRange = 13
    private static let ratioRange = 8

    private static func intervalBin(_ motif: CompiledMotif, _ j: Int) -> Int {
        let interval = Int((motif.pitches[j] - motif.pitches[j - 1]).rounded())
        return max(-intervalRange, min(intervalRange, interval)) + intervalRange
    }

    /// Onset interval into note j over the one before it, in quarter-octave bins.
    private static func ratioBin(_ motif: CompiledMotif, _ j: Int) -> Int? {
        guard j >= 2 else { return nil }
        let current = motif.onsetBeats[j] - motif.onsetBeats[j - 1]
        let previous = motif.onsetBeats[j - 1] - motif.onsetBeats[j - 2]
        guard current > 0, previous > 0 else { return nil }
        let quarters = Int((4 * log2(current / previous)).rounded())
        return max(-ratioRange, min(ratioRange, quarters)) + ratioRange
    }
}
