/// A segmented note: onset, end and pitch as fractional MIDI.
public struct Note: Sendable, Equatable {
    public var start: Double
    public var end: Double
    public var pitch: Float

    public init(start: Double, end: Double, pitch: Float) {
        self.start = start
        self.end = end
        self.pitch = pitch
    }
}

/// A note whose onset and pitch are established while it still sounds: what the matcher
/// consumes, so that a motif's last note counts as soon as it is heard, not when it ends.
public struct NoteOnset: Sendable, Equatable {
    public var start: Double
    public var pitch: Float
    /// Stream time at which the onset was confirmed.
    public var confirmed: Double
    /// Only a dip and rise of the level within a held note: perhaps the same note played
    /// again legato, perhaps not. The matcher may take it as a note or pass over it freely.
    public var possibleRepeat: Bool

    public init(start: Double, pitch: Float, confirmed: Double, possibleRepeat: Bool = false) {
        self.start = start
        self.pitch = pitch
        self.confirmed = confirmed
        self.possibleRepeat = possibleRepeat
    }
}
