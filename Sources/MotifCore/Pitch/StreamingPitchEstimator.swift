import Foundation

/// The streaming pitch front end: slices the analysis-rate stream into overlapping frames
/// (hop 10 ms), computes YIN's d' by FFT, extracts pYIN-style candidates and lets the
/// causal tracker decide. Nothing is allocated per frame.
///
/// Timing: the YIN integration window is the newest 28.5 ms of the frame and is compared
/// with older samples (its lags reach back from the newest sample), so a frame
/// stamped at time t analyses [t, t + 28.5 ms] against up to 19 ms before t: the fixed
/// lookahead is one integration window (`settings.lookahead`, within the 30 ms the design
/// allows), and a note is reported from the frame where it starts. The stream is preceded
/// by silence so that frame k is stamped at k * hop.
public final class StreamingPitchEstimator {
    public let settings: PitchAnalysisSettings
    private let difference: YINDifference
    private let extractor: PitchCandidateExtractor
    private let onsets: SpectralFluxOnsetFunction
    private var tracker = CausalPitchTracker()
    private var release = ReleaseDetector()
    private let melody: HarmonicSalience
    private let missingFundamental: MissingFundamentalCheck
    /// Whether every voiced frame gets its `salientMidi`, and every audible unvoiced one but
    /// a release (else every tenth voiced frame, and every one whose YIN dip is shallow:
    /// enough to notice that the music has more than one voice).
    public var salienceEveryFrame = false
    /// The samples, in a buffer some hops longer than a frame: the frame slides along it
    /// and is moved back to the start only when it reaches the end.
    private let buffer: UnsafeMutablePointer<Float>
    private let bufferLength: Int
    private var frameStart = 0
    private var frame: UnsafeMutablePointer<Float> { buffer + frameStart }
    private let frameLength: Int
    private var filled: Int
    private var frameIndex = 0
    public let candidates: UnsafeMutablePointer<PitchCandidate>
    public private(set) var candidateCount = 0

    /// Which frames are silent: those whose YIN window is quieter than the gate's
    /// threshold, which follows the input's recent loudness (`SilenceGate`).
    public let silence: SilenceGate
    /// A frame not voiced before whose newest hop is this much (dB) louder than its first
    /// holds a note that begins later in the lookahead: the frame's own time is still the
    /// silence or release before it, so it stays unvoiced. (Over 20 dB: slow attacks
    /// rise less within 28.5 ms, and their first frames are the note.)
    public var attackAheadRise: Float = 20
    private var previousVoiced = false
    /// YIN's dip (d') above which a frame may be a blend of two notes...
    private let blendAperiodicity: Float = 0.05
    /// ...and how far (semitones) from YIN's pitch the salient one may then lie.
    private let blendNearest: Float = 0.3
    private let blendFarthest: Float = 1.5

    public init(settings: PitchAnalysisSettings = PitchAnalysisSettings()) {
        self.settings = settings
        frameLength = settings.frameLength
        difference = YINDifference(window: settings.integrationWindow, maximumLag: frameLength - settings.integrationWindow - 1)
        extractor = PitchCandidateExtractor(sampleRate: settings.sampleRate, minimumLag: settings.minimumLag, maximumLag: settings.maximumLag)
        melody = HarmonicSalience(transformSize: difference.transformSize, sampleRate: settings.sampleRate)
        missingFundamental = MissingFundamentalCheck(transformSize: difference.transformSize, sampleRate: settings.sampleRate)
        // The onset function reads the spectrum of YIN's integration window.
        let integrationWindow = (difference.span - difference.window)..<difference.span
        onsets = SpectralFluxOnsetFunction(window: CosineSumWindow(fittedTo: integrationWindow, transformSize: difference.transformSize),
                                           lag: 2, sampleRate: settings.sampleRate)
        bufferLength = frameLength + 16 * settings.hop
        buffer = .allocate(capacity: bufferLength)
        buffer.initialize(repeating: 0, count: bufferLength)
        filled = frameLength - settings.lookaheadSamples
        silence = SilenceGate(framesPerSecond: 1 / settings.hopSeconds)
        candidates = .allocate(capacity: PitchCandidateExtractor.maximumCandidates)
        candidates.initialize(repeating: PitchCandidate(), count: PitchCandidateExtractor.maximumCandidates)
    }

    deinit {
        buffer.deallocate()
        candidates.deallocate()
    }

    public func reset() {
        buffer.update(repeating: 0, count: bufferLength)
        frameStart = 0
        filled = frameLength - settings.lookaheadSamples
        frameIndex = 0
        previousVoiced = false
        tracker.reset()
        release.reset()
        silence.reset()
        onsets.reset()
    }

    /// Feeds analysis-rate samples; `onFrame` runs once per completed frame, in order.
    public func process(_ samples: UnsafeBufferPointer<Float>, onFrame: (PitchFrame) -> Void) {
        var offset = 0
        while offset < samples.count {
            let take = min(frameLength - filled, samples.count - offset)
            (frame + filled).update(from: samples.baseAddress! + offset, count: take)
            filled += take
            offset += take
            if filled == frameLength {
                onFrame(analyseFrame())
                // Keep the overlap: slide one hop on, back to the start at the end.
                let keep = frameLength - settings.hop
                if frameStart + settings.hop + frameLength > bufferLength {
                    buffer.update(from: frame + settings.hop, count: keep)
                    frameStart = 0
                } else {
                    frameStart += settings.hop
                }
                filled = keep
            }
        }
    }

    /// Level (dBFS) of `count` samples of the frame, from `offset` samples in.
    private func level(from offset: Int, count: Int) -> Float {
        10 * log10(sumOfSquares(frame + offset, count: count) / Float(count) + 1e-12)
    }

    private func analyseFrame() -> PitchFrame {
        let time = Double(frameIndex * settings.hop) / Double(settings.sampleRate)
        frameIndex += 1
        // The integration window is the newest `window` samples; silent frames skip YIN.
        let window = settings.integrationWindow
        let windowLevel = level(from: frameLength - window, count: window)
        // The newest hop (the end of the lookahead): the gate's measure of loudness, and
        // where a release shows first (below).
        let newestHopLevel = level(from: frameLength - settings.hop, count: settings.hop)
        silence.observe(hopLevel: newestHopLevel)
        let audible = windowLevel > silence.threshold
        if audible { difference.compute(newest: frame + (frameLength - difference.span)) }

        let centre = frameLength - settings.lookaheadSamples, half = settings.hop / 2
        let centreLevel = level(from: centre - half, count: 2 * half)

        candidateCount = audible ? extractor.extract(normalized: difference.normalized, into: candidates) : 0
        missingFundamental.reassign(candidates, count: candidateCount, spectrum: difference.frameSpectrum)
        let decision = tracker.step(candidates: candidates, count: candidateCount, audible: audible)
        // A release tail still has a pitch, but the note is over. Its fall shows first in
        // the newest hop.
        let released = release.process(level: newestHopLevel, windowLevel: windowLevel,
                                       pitch: decision.voiced ? decision.midi : nil)
        var voiced = decision.voiced && !released
        if voiced && !previousVoiced
            && newestHopLevel - level(from: frameLength - window, count: settings.hop) > attackAheadRise {
            voiced = false
        }
        previousVoiced = voiced
        var result = PitchFrame(time: time, voiced: voiced, frequency: voiced ? decision.frequency : 0, midi: decision.midi,
                                confidence: decision.confidence, levelDB: centreLevel, windowLevelDB: windowLevel)
        // A shallow dip may be a blend: two notes sounding at once (a plucked note ringing
        // under the next, a melody over its accompaniment) put YIN's period between theirs.
        // Such a frame gets the most salient pitch; 0.3 to 1.5 semitones from YIN's, that is
        // the note (farther off, the salience heard another voice).
        let unsure = voiced && 1 - decision.confidence > blendAperiodicity
        // In a mix YIN often finds no period at all while the melody sounds on (a melody
        // and a chord in one register): while the melody reading is on, it gets the salient
        // pitch of every audible frame but a release too. (Over 24 generated sets: 7 more
        // occurrences found and 3 fewer false positives with 60 motifs; 5 more found and 2
        // more false positives with 2,060.)
        let wantsSalience = voiced
            ? salienceEveryFrame || unsure || frameIndex % 10 == 0
            : salienceEveryFrame && audible && !released
        if wantsSalience {
            (result.salientMidi, result.salientOctaveAboveShare) =
                melody.predominantPitch(spectrum: difference.frameSpectrum, periodicMidi: voiced ? decision.midi : 0)
            let offset = abs(result.salientMidi - decision.midi)
            if unsure && offset >= blendNearest && offset <= blendFarthest {
                result.midi = result.salientMidi
                result.frequency = frequency(ofMidi: result.salientMidi)
            }
        }
        // The integration window (within the lookahead) again; an onset needs sound in it.
        result.onsetStrength = audible
            ? onsets.process(spectrum: difference.windowSpectrum)
            : onsets.processSilence()
        return result
    }
}
