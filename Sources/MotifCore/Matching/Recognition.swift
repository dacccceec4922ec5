/// A recognised motif occurrence.
public struct Recognition: Sendable, Equatable {
    public var motifID: String
    /// Onset of the first matched note.
    public var start: Double
    /// End of the last matched note heard so far (the stream time of the decision).
    public var end: Double
    /// Stream time at which the decision was made.
    public var emitted: Double
    public var confidence: Double
    /// Semitones relative to the notation, octaves included.
    public var transposition: Int
    /// Performed tempo, quarter-note beats per minute.
    public var bpm: Double
    public var matchedNotes: Int

    public init(motifID: String, start: Double, end: Double, emitted: Double, confidence: Double,
                transposition: Int, bpm: Double, matchedNotes: Int) {
        self.motifID = motifID
        self.start = start
        self.end = end
        self.emitted = emitted
        self.confidence = confidence
        self.transposition = transposition
        self.bpm = bpm
        self.matchedNotes = matchedNotes
    }
}
