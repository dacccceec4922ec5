/// A motif being heard, before it is complete: the leading alignment after a note, for
/// clients that want to anticipate (a cue to prepare). Not a recognition: the motif's next
/// notes may still not come.
public struct MotifCandidate: Sendable, Equatable {
    public var motifID: String
    /// Onset of the first matched note.
    public var start: Double
    /// Stream time of the note that brought it.
    public var emitted: Double
    /// How well the notes so far match, against the same share of the recognition
    /// threshold: 0.5 at `MotifMatcher.Settings.candidateMargin` above it.
    public var confidence: Double
    public var matchedNotes: Int
    public var motifNotes: Int
    /// Semitones relative to the notation, and quarter beats per minute, so far.
    public var transposition: Int
    public var bpm: Double

    public init(motifID: String, start: Double, emitted: Double, confidence: Double, matchedNotes: Int,
                motifNotes: Int, transposition: Int, bpm: Double) {
        self.motifID = motifID
        self.start = start
        self.emitted = emitted
        self.confidence = confidence
        self.matchedNotes = matchedNotes
        self.motifNotes = motifNotes
        self.transposition = transposition
        self.bpm = bpm
    }
}
