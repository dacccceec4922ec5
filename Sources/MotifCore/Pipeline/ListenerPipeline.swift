/// The listener's whole DSP chain on analysis-rate samples: pitch frames, notes, motif
/// recognitions. Live capture and file analysis both feed it through the ring buffer,
/// block by block; it is causal and keeps all its state between blocks.
///
/// Notes are read twice when the music has more than one voice: from YIN's pitch (exact
/// on a solo line) and from the most salient pitch (`HarmonicSalience`: the melody over an
/// accompaniment, the newest note over ringing strings). Each reading has its own
/// segmenter and matcher; a motif recognised by both over the same time is reported once.
public final class ListenerPipeline {
    public let settings: PitchAnalysisSettings
    public private(set) var library: MotifLibrary
    public let pitch: StreamingPitchEstimator
    private var segmenter: NoteSegmenter
    private var matcher: MotifMatcher
    private var melodySegmenter: NoteSegmenter
    private var melodyMatcher: MotifMatcher
    private var recent: [(motif: String, start: Double, end: Double)] = []
    /// Running share of the sampled voiced frames whose most salient pitch is not YIN's
    /// (the last five samples or so: every tenth frame, and every frame where YIN is
    /// unsure), and the hysteresis that turns the melody reading on.
    private var disagreement: Float = 0
    private var melodyActive = false
    private static let disagreementRate: Float = 0.2
    private static let melodyOn: Float = 0.2
    private static let melodyOff: Float = 0.05
    /// Analysis-rate samples consumed so far.
    public private(set) var samplesConsumed = 0

    public init(library: MotifLibrary, settings: PitchAnalysisSettings = PitchAnalysisSettings()) {
        self.settings = settings
        self.library = library
        pitch = StreamingPitchEstimator(settings: settings)
        segmenter = NoteSegmenter(hopSeconds: settings.hopSeconds)
        matcher = MotifMatcher(library: library)
        var melodySettings = NoteSegmenter.Settings()
        melodySettings.blipsAreAttacks = false
        melodySegmenter = NoteSegmenter(settings: melodySettings, hopSeconds: settings.hopSeconds)
        melodyMatcher = matcher
    }

    /// Swaps in another library between two blocks: pitch and note state carry on, so no
    /// audio is lost; alignments in progress start afresh. Build the matcher off the audio
    /// path (`MotifMatcher(library:)`) and hand it over here.
    public func replaceLibrary(_ library: MotifLibrary, matcher: MotifMatcher) {
        self.library = library
        self.matcher = matcher
        melodyMatcher = matcher
    }

    /// Stream time: seconds of audio consumed.
    public var streamTime: Double { Double(samplesConsumed) / Double(settings.sampleRate) }

    /// Starts a new, independent stream (the next file).
    public func reset() {
        pitch.reset()
        segmenter.reset()
        matcher.reset()
        melodySegmenter.reset()
        melodyMatcher.reset()
        recent.removeAll()
        disagreement = 0
        melodyActive = false
        pitch.salienceEveryFrame = false
        samplesConsumed = 0
    }

    public func process(_ samples: UnsafeBufferPointer<Float>, emit: (ListenerEvent) -> Void) {
        func report(_ recognition: Recognition) { if admit(recognition) { emit(.recognition(recognition)) } }
        pitch.process(samples) { frame in
            emit(.pitch(frame))
            segmenter.process(frame, onOnset: { onset in
                matcher.process(onset, onRecognition: report)
            }, onNote: { emit(.note($0)) })
            matcher.advance(to: frame.time, onRecognition: report)
            // The second reading runs while the music has more than one voice (the most
            // salient pitch and YIN's often differ): accompaniment, ringing strings.
            if frame.voiced && frame.salientMidi > 0 {
                let differs: Float = abs(frame.salientMidi - frame.midi) > 1 ? 1 : 0
                disagreement += Self.disagreementRate * (differs - disagreement)
                let wasActive = melodyActive
                if !melodyActive && disagreement > Self.melodyOn { melodyActive = true }
                if melodyActive && disagreement < Self.melodyOff { melodyActive = false }
                if melodyActive && !wasActive { melodySegmenter.reset() }  // its last frames are stale
                pitch.salienceEveryFrame = melodyActive
            }
            if melodyActive {
                var melodyFrame = frame
                melodyFrame.midi = frame.salientMidi
                melodySegmenter.process(melodyFrame, onOnset: { onset in
                    melodyMatcher.process(onset, onRecognition: report)
                }, onNote: { _ in })
                melodyMatcher.advance(to: frame.time, onRecognition: report)
            }
        }
        samplesConsumed += samples.count
    }

    /// One occurrence, one report: the second reading's recognition of a motif already
    /// reported over the same time is dropped.
    private func admit(_ recognition: Recognition) -> Bool {
        for earlier in recent where earlier.motif == recognition.motifID
            && earlier.start < recognition.end + 0.5 && recognition.start < earlier.end + 0.5 { return false }
        if recent.count >= 16 { recent.removeFirst() }
        recent.append((recognition.motifID, recognition.start, recognition.end))
        return true
    }

    /// Ends the stream: the note still sounding is closed.
    public func finish(emit: (ListenerEvent) -> Void) {
        func report(_ recognition: Recognition) { if admit(recognition) { emit(.recognition(recognition)) } }
        segmenter.flush(at: streamTime) { emit(.note($0)) }
        matcher.flush(at: streamTime, onRecognition: report)
        melodySegmenter.flush(at: streamTime) { _ in }
        melodyMatcher.flush(at: streamTime, onRecognition: report)
    }
}
