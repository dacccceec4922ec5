/// A motif in the form the matcher compares: pitched notes only, each with its MIDI pitch
/// and its onset in beats from the motif's start (rests lengthen the note before them).
/// Intervals and onset ratios make it transposition- and tempo-invariant; the notated key
/// is kept to report `transposition`.
public struct CompiledMotif: Sendable {
    public let id: String
    public let pitches: [Float]
    public let onsetBeats: [Float]
    /// Whether note j repeats note j-1's pitch (then losing j is a likely merge, not a miss).
    public let repeatsPrevious: [Bool]
    /// Beats from the last note's onset to the motif's end (a rest after it included).
    public let lastNoteBeats: Float

    public init(_ motif: Motif) {
        id = motif.id
        var pitches: [Float] = []
        var onsets: [Float] = []
        var beat: Double = 0
        for note in motif.notes {
            if let midi = note.midi {
                pitches.append(Float(midi))
                onsets.append(Float(beat))
            }
            beat += note.beats
        }
        self.pitches = pitches
        lastNoteBeats = Float(beat) - (onsets.last ?? 0)
        onsetBeats = onsets
        repeatsPrevious = pitches.indices.map { $0 > 0 && pitches[$0] == pitches[$0 - 1] }
    }

    public var count: Int { pitches.count }
}
