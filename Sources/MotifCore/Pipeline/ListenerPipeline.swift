/// The listener's whole DSP chain on analysis-rate samples: pitch frames, notes, motif
/// recognitions. Live capture and file analysis both feed it through the ring buffer,
/// block by block; it is causal and keeps all its state between blocks.
public final class ListenerPipeline {
    public let settings: PitchAnalysisSettings
    public private(set) var library: MotifLibrary
    public let pitch: StreamingPitchEstimator
    private var segmenter: NoteSegmenter
    private var matcher: MotifMatcher
    /// Analysis-rate samples consumed so far.
    public private(set) var samplesConsumed = 0

    public init(library: MotifLibrary, settings: PitchAnalysisSettings = PitchAnalysisSettings()) {
        self.settings = settings
        self.library = library
        pitch = StreamingPitchEstimator(settings: settings)
        segmenter = NoteSegmenter(hopSeconds: settings.hopSeconds)
        matcher = MotifMatcher(library: library)
    }

    /// Swaps in another library between two blocks: pitch and note state carry on, so no
    /// audio is lost; alignments in progress start afresh. Build the matcher off the audio
    /// path (`MotifMatcher(library:)`) and hand it over here.
    public func replaceLibrary(_ library: MotifLibrary, matcher: MotifMatcher) {
        self.library = library
        self.matcher = matcher
    }

    /// Stream time: seconds of audio consumed.
    public var streamTime: Double { Double(samplesConsumed) / Double(settings.sampleRate) }

    /// Starts a new, independent stream (the next file).
    public func reset() {
        pitch.reset()
        segmenter = NoteSegmenter(hopSeconds: settings.hopSeconds)
        matcher.reset()
        samplesConsumed = 0
    }

    public func process(_ samples: UnsafeBufferPointer<Float>, emit: (ListenerEvent) -> Void) {
        pitch.process(samples) { frame in
            emit(.pitch(frame))
            segmenter.process(frame, onOnset: { onset in
                matcher.process(onset) { emit(.recognition($0)) }
            }, onNote: { emit(.note($0)) })
            matcher.advance(to: frame.time) { emit(.recognition($0)) }
        }
        samplesConsumed += samples.count
    }

    /// Ends the stream: the note still sounding is closed.
    public func finish(emit: (ListenerEvent) -> Void) {
        segmenter.flush(at: streamTime) { emit(.note($0)) }
        matcher.flush(at: streamTime) { emit(.recognition($0)) }
    }
}
