/// The pitch front end's output for one 10 ms frame.
public struct PitchFrame: Sendable, Equatable {
    /// Stream time of the frame centre (seconds).
    public var time: Double
    public var voiced: Bool
    /// f0 in Hz, 0 when unvoiced.
    public var frequency: Float
    /// Fractional MIDI pitch (meaningful when voiced).
    public var midi: Float
    /// 0..1: periodicity of the chosen f0, or certainty of silence when unvoiced.
    public var confidence: Float
    /// Level of the 10 ms around the frame centre (dBFS), for onsets.
    public var levelDB: Float
    /// Level of the 28.5 ms YIN window (dBFS).
    public var windowLevelDB: Float
    /// Onset strength (SuperFlux) of the frame: high where a note starts or is re-played.
    public var onsetStrength: Float = 0
    /// The most salient pitch of the frame by harmonic summation (fractional MIDI; 0 when
    /// not computed, see `StreamingPitchEstimator.salienceEveryFrame`): in a mix, usually
    /// the melody's, where YIN's period is often the bass's or there is none.
    public var salientMidi: Float = 0
    /// Salience an octave above `salientMidi`, as a share of its own (see
    /// `MelodyOctaveCheck`).
    public var salientOctaveAboveShare: Float = 0

    public init(time: Double, voiced: Bool, frequency: Float, midi: Float, confidence: Float, levelDB: Float, windowLevelDB: Float) {
        self.time = time
        self.voiced = voiced
        self.frequency = frequency
        self.midi = midi
        self.confidence = confidence
        self.levelDB = levelDB
        self.windowLevelDB = windowLevelDB
    }
}
