import Foundation

/// The streaming pitch front end: slices the analysis-rate stream into overlapping frames
/// (hop 10 ms), computes YIN's d' by FFT, extracts pYIN-style candidates and lets the
/// causal tracker decide. Each frame is stamped at its centre; the first frame is centred
/// on t = 0 (the stream is preceded by half a frame of silence), so the fixed lookahead is
/// half a frame (`settings.lookahead`, 25 ms). Nothing is allocated per frame.
public final class StreamingPitchEstimator {
    public let settings: PitchAnalysisSettings
    private let difference: YINDifference
    private let extractor: PitchCandidateExtractor
    private var tracker = CausalPitchTracker()
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
        frame = .allocate(capacity: frameLength)
        frame.initialize(repeating: 0, count: frameLength)
        filled = frameLength / 2
        candidates = .allocate(capacity: PitchCandidateExtractor.maximumCandidates)
        candidates.initialize(repeating: PitchCandidate(), count: PitchCandidateExtractor.maximumCandidates)
    }

    deinit {
        frame.deallocate()
        candidates.deallocate()
    }

    public func reset() {
        frame.update(repeating: 0, count: frameLength)
        filled = frameLength / 2
        frameIndex = 0
        tracker.reset()
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
        difference.compute(frame: frame)
        let window = settings.integrationWindow
        let windowLevel = 10 * log10(difference.windowEnergy / Float(window) + 1e-12)

        let centre = frameLength / 2, half = settings.hop / 2
        var energy: Float = 0
        for i in (centre - half)..<(centre + half) { energy += frame[i] * frame[i] }
        let level = 10 * log10(energy / Float(2 * half) + 1e-12)

        // Soft gate: no voicing below the silence level, full evidence 10 dB above it.
        let evidence = max(0, min(1, (windowLevel - silenceLevelDB) / 10))
        candidateCount = evidence > 0 ? extractor.extract(normalized: difference.normalized, into: candidates) : 0
        let decision = tracker.step(candidates: candidates, count: candidateCount, voicedEvidence: evidence)
        return PitchFrame(time: time, voiced: decision.voiced, frequency: decision.frequency, midi: decision.midi,
                          confidence: decision.confidence, levelDB: level, windowLevelDB: windowLevel)
    }
}
