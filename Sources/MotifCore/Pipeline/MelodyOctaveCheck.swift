/// The melody reading's octave check. In a mix the chord often doubles the melody an
/// octave below, and the salience then peaks at that chord tone: it gets the melody's
/// harmonics as well as its own. So a salient pitch well under the melody just heard, with
/// strong salience an octave up, is taken for that octave, while other voices sound (the
/// salient pitch and YIN's differ by other than octaves). A solo instrument with octave
/// ranks, an organ, does not set it off: there the two differ by octaves only.
public struct MelodyOctaveCheck {
    /// Running share of the sampled frames whose salient pitch and YIN's differ by other
    /// than octaves (the last twenty samples or so)...
    private var otherVoices: Float = 0
    private static let otherVoicesRate: Float = 0.05
    /// ...above which other voices sound.
    private static let otherVoicesPresent: Float = 0.3
    /// The latest melody pitch taken as it came (a corrected one does not move it), and
    /// how long it stays the reference (s).
    private var reference: Float = 0
    private var referenceTime: Double = -.infinity
    private static let referenceLife = 0.3
    /// A salient pitch this far (semitones) under the reference...
    private static let drop: Float = 7
    /// ...with at least this share of its salience an octave up is that octave.
    private static let octaveAboveShare: Float = 0.7

    public init() {}

    public mutating func reset() { self = MelodyOctaveCheck() }

    /// Every voiced frame with a salient pitch: are other voices sounding?
    public mutating func observe(_ frame: PitchFrame) {
        let difference = frame.salientMidi - frame.midi
        let otherVoice: Float = abs(difference) > 1 && abs(difference.remainder(dividingBy: 12)) > 1 ? 1 : 0
        otherVoices += Self.otherVoicesRate * (otherVoice - otherVoices)
    }

    /// The melody reading's pitch for `frame` (fractional MIDI, 0 when none).
    public mutating func melodyPitch(of frame: PitchFrame) -> Float {
        let salient = frame.salientMidi
        guard salient > 0 else { return 0 }
        if reference > 0 && frame.time - referenceTime < Self.referenceLife && salient < reference - Self.drop
            && frame.salientOctaveAboveShare >= Self.octaveAboveShare && otherVoices >= Self.otherVoicesPresent {
            return salient + 12
        }
        reference = salient  // (only audible frames have a salient pitch)
        referenceTime = frame.time
        return salient
    }
}
