import Foundation

/// The streaming pitch front end: slices the analysis-rate stream into overlapping frames
/// (hop 10 ms), computes YIN's d' by FFT, extracts pYIN-style candidates and lets the
/// causal tracker decide. Nothing is allocated per frame.
///
/// Timing: the YIN integration window is the newest 28.5 ms of the frame and is compared
/// with older samples (YIN reads the frame backwards from its newest sample), so a frame
/// stamped at time t analyses [t, t + 28.5 ms] against up to 19 ms before t: the fixed
/// lookahead is one integration window (`settings.lookahead`, within the 30 ms the design
/// allows), and a note is reported from the frame where it starts. The onset function
/// reads the whole frame, centred 5 ms after t. The stream is preceded by silence so that
/// frame k is stamped at k * hop.
public final class StreamingPitchEstimator {
    public let settings: PitchAnalysisSettings
    private let difference: YINDifference
    private let extractor: PitchCandidateExtractor
    private let onsets: SpectralFluxOnsetFunction
    private var tracker = CausalPitchTracker()
    private var release = ReleaseDetector()
    private let frame: UnsafeMutablePointer<Float>
    private let frameLength: Int
    private var filled: Int
    private var frameIndex = 0
    public let candidates: UnsafeMutablePointer<PitchCandidate>
    public private(set) var candidateCount = 0

    /// Frames whose YIN window is quieter than this are silent (dBFS).
    public var silenceLevelDB: Float = -60

    public init(settings: PitchAnalysisSettings = PitchAnalysisSettings()) {
        self.settings = settings
        frameLength = settings.frameLength
        difference = YINDifference(window: settings.integrationWindow, maximumLag: frameLength - settings.integrationWindow - 1)
        extractor = PitchCandidateExtractor(sampleRate: settings.sampleRate, minimumLag: settings.minimumLag, maximumLag: settings.maximumLag)
        onsets = SpectralFluxOnsetFunction(transformSize: difference.transformSize, lag: 2, sampleRate: settings.sampleRate)
        frame = .allocate(capacity: frameLength)
        frame.initialize(repeating: 0, count: frameLength)
        filled = frameLength - settings.lookaheadSamples
        candidates = .allocate(capacity: PitchCandidateExtractor.maximumCandidates)
        candidates.initialize(repeating: PitchCandidate(), count: PitchCandidateExtractor.maximumCandidates)
    }

    deinit {
        frame.deallocate()
        candidates.deallocate()
    }

    public func reset() {
        frame.update(repeating: 0, count: frameLength)
        filled = frameLength - settings.lookaheadSamples
        frameIndex = 0
        tracker.reset()
        release.reset()
        onsets.reset()
    }

    /// Feeds analysis-rate samples; `onFrame` runs once per completed frame, in order.
    public func process(_ samples: UnsafeBufferPointer<Float>, onFrame: (PitchFrame) -> Void) {
        var offset = 0
        while offset < samples.count {
            let take = min(frameLength - filled, samples.count - offset)
            for i in 0..<take { frame[filled + i] = samples[offset + i] }
            filled += take
            offset += take
            if filled == frameLength {
                onFrame(analyseFrame())
                // Keep the overlap: shift left by one hop.
                let keep = frameLength - settings.hop
                for i in 0..<keep { frame[i] = frame[i + settings.hop] }
                filled = keep
            }
        }
    }

    private func analyseFrame() -> PitchFrame {
        let time = Double(frameIndex * settings.hop) / Double(settings.sampleRate)
        frameIndex += 1
        // The integration window is the newest `window` samples; silent frames skip YIN.
        let window = settings.integrationWindow
        var windowEnergy: Float = 0
        for i in (frameLength - window)..<frameLength { windowEnergy += frame[i] * frame[i] }
        let windowLevel = 10 * log10(windowEnergy / Float(window) + 1e-12)
        let audible = windowLevel > silenceLevelDB
        if audible { difference.compute(newest: frame + (frameLength - difference.span)) }

        let centre = frameLength - settings.lookaheadSamples, half = settings.hop / 2
        var energy: Float = 0
        for i in (centre - half)..<(centre + half) { energy += frame[i] * frame[i] }
        let level = 10 * log10(energy / Float(2 * half) + 1e-12)

        candidateCount = audible ? extractor.extract(normalized: difference.normalized, into: candidates) : 0
        let decision = tracker.step(candidates: candidates, count: candidateCount, audible: audible)
        // A release tail still has a pitch, but the note is over.
        let released = release.process(level: windowLevel, pitch: decision.voiced ? decision.midi : nil)
        let voiced = decision.voiced && !released
        var result = PitchFrame(time: time, voiced: voiced, frequency: voiced ? decision.frequency : 0, midi: decision.midi,
                                confidence: decision.confidence, levelDB: level, windowLevelDB: windowLevel)
        // (An onset needs sound in the newest samples; the onset function reads YIN's
        // transform of the whole frame.)
        result.onsetStrength = audible
            ? onsets.process(spectrum: difference.frameSpectrum)
            : onsets.processSilence()
        return result
    }
}
