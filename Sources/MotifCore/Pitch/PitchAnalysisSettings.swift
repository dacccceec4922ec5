/// Fixed parameters of the pitch front end. The pipeline resamples all audio to
/// `sampleRate`; every time in the pipeline is a multiple of `hop`.
public struct PitchAnalysisSettings: Sendable, Equatable {
    /// Analysis sample rate (Hz). 16 kHz keeps harmonics up to 8 kHz, plenty for 52 Hz-2 kHz f0.
    public var sampleRate: Int = 16_000
    /// Frame advance: 10 ms.
    public var hop: Int = 160
    /// Lowest and highest f0 searched (double bass to piccolo and soprano). With the
    /// window below, window plus longest lag (766 samples) fit a 768-point FFT.
    public var minimumFrequency: Double = 52
    public var maximumFrequency: Double = 2_000
    /// YIN integration window: 28.5 ms.
    public var integrationWindow: Int = 456

    public init() {}

    /// Longest lag searched, in samples.
    public var maximumLag: Int { Int((Double(sampleRate) / minimumFrequency).rounded(.up)) }
    /// Shortest lag searched, in samples.
    public var minimumLag: Int { max(2, Int((Double(sampleRate) / maximumFrequency).rounded(.down))) }
    /// Samples one frame spans: the window plus the longest lag.
    public var frameLength: Int { integrationWindow + maximumLag + 2 }
    /// A frame's integration window starts at its time stamp: the frame reports the pitch
    /// that begins there, and the tracker looks one window (28.5 ms) ahead. (Centring the
    /// window reported every change half a window late: slow attacks and the release of
    /// the note before keep the old pitch in the first half of the window.)
    public var lookaheadSamples: Int { integrationWindow }
    public var lookahead: Double { Double(lookaheadSamples) / Double(sampleRate) }
    public var hopSeconds: Double { Double(hop) / Double(sampleRate) }
}
