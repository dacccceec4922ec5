/// The listener's whole DSP chain on analysis-rate samples: mains hum out (where there is
/// any: `MainsHumFilter`), pitch frames, notes, motif recognitions. Live capture and file
/// analysis both feed it through the ring buffer, block by block; it is causal and keeps
/// all its state between blocks.
///
/// Notes are read twice when the music has more than one voice: from YIN's pitch (exact
/// on a solo line) and from the most salient pitch (`HarmonicSalience`: the melody over an
/// accompaniment, the newest note over ringing strings). Each reading has its own
/// segmenter and matcher; an occurrence heard by both is reported once
/// (`OneReportPerOccurrence`).
public final class ListenerPipeline {
    /// One reading of the pitch track: a note segmenter and the matcher its notes feed.
    struct NoteReading {
        var segmenter: NoteSegmenter
        var matcher: MotifMatcher

        mutating func process(_ frame: PitchFrame, onNote: (Note) -> Void, report: (Recognition) -> Void,
                              anticipate: (MotifCandidate) -> Void) {
            segmenter.process(frame, onOnset: { matcher.process($0, onRecognition: report, onCandidate: anticipate) },
                              onNote: onNote)
            matcher.advance(to: frame.time, onRecognition: report)
        }

        mutating func finish(at time: Double, onNote: (Note) -> Void, report: (Recognition) -> Void) {
            segmenter.flush(at: time, onNote: onNote)
            matcher.flush(at: time, onRecognition: report)
        }

        mutating func reset() {
            segmenter.reset()
            matcher.reset()
        }
    }

    public let settings: PitchAnalysisSettings
    public private(set) var library: MotifLibrary
    public let pitch: StreamingPitchEstimator
    /// Takes mains hum out of the input before anything else hears it.
    public let hum: MainsHumFilter
    /// The input after the hum filter, a block at a time.
    private let conditioned: UnsafeMutablePointer<Float>
    private static let conditionedCapacity = 4_096
    /// YIN's reading (its notes are the `note` events) and the most-salient-pitch reading.
    private var yin: NoteReading
    private var melody: NoteReading
    private var reports = OneReportPerOccurrence()
    /// Running share of the sampled voiced frames whose most salient pitch is not YIN's
    /// (the last five samples or so: every tenth frame, and every frame where YIN is
    /// unsure), and the hysteresis that turns the melody reading on and off.
    private var disagreement: Float = 0
    private var melodyActive = false
    /// Whether the second, melody reading is on (the music has had more than one voice
    /// within the last `melodyHold` seconds of agreement).
    public var readsMelody: Bool { melodyActive }
    private var octaveCheck = MelodyOctaveCheck()
    private static let disagreementRate: Float = 0.2
    private static let melodyOn: Float = 0.2
    private static let melodyOff: Float = 0.05
    /// The reading goes off only once the two pitches have agreed (`melodyOff`) this long
    /// (s): a pause of the accompaniment or a unison does not end the mix, and a reading
    /// switched off and on again loses the notes of the line around the gap. (Turning off
    /// at once lost 10 of 208 accompanied occurrences over the 13 generated sets.) The
    /// frame of a note change often disagrees, so a line that keeps moving keeps it on; a
    /// long note or a rest alone turns it off.
    private static let melodyHold = 1.0
    /// Stream time of the last sampled frame with `disagreement` at `melodyOff` or more.
    private var lastDisagreement = -Double.infinity
    /// The melody reading takes a chord tone doubling the melody an octave below for the
    /// melody more often than YIN's reading slips an octave (in the accompanied scenes of
    /// the generated sets, 18 % of the motif notes of missed occurrences): an octave-
    /// displaced note costs less there (the matcher's own cost is 0.7).
    private static let melodyOctaveDisplacementCost: Float = 0.5
    /// In the melody reading, the accompaniment under the melody shows through whenever the
    /// melody note fades under it (a piano over a string pad): notes a fourth or more under
    /// both neighbours of the line are cheap insertions there (`MotifMatcher.accompanimentMargin`).
    private static let melodyAccompanimentMargin: Float = 5
    /// ...and it shows through between them so often (a piano's note fading under an
    /// arpeggio) that the melody reading's matcher looks a note further back than the
    /// matcher's 5: up to four notes may come between two notes of a motif there. (Over
    /// the 13 generated sets: accompanied occurrences found 152 -> 155 of 208 with 60
    /// motifs, 125 -> 128 with 2,060, and 1 and 3 fewer false positives.)
    private static let melodyLookback = 6
    /// Analysis-rate samples consumed so far.
    public private(set) var samplesConsumed = 0
    /// Whether `candidate` events are made (see `MotifCandidate`); off, they cost nothing.
    public var reportsCandidates = false {
        didSet {
            yin.matcher.reportsCandidates = reportsCandidates
            melody.matcher.reportsCandidates = reportsCandidates
        }
    }
    /// The latest candidate reported: the other reading's report of the same alignment
    /// is news only when it has matched more notes.
    private var lastCandidate: MotifCandidate?

    public init(library: MotifLibrary, settings: PitchAnalysisSettings = PitchAnalysisSettings()) {
        self.settings = settings
        self.library = library
        pitch = StreamingPitchEstimator(settings: settings)
        hum = MainsHumFilter(sampleRate: settings.sampleRate)
        conditioned = .allocate(capacity: Self.conditionedCapacity)
        let matcher = MotifMatcher(library: library)
        yin = NoteReading(segmenter: NoteSegmenter(hopSeconds: settings.hopSeconds), matcher: matcher)
        var melodySettings = NoteSegmenter.Settings()
        melodySettings.blipsAreAttacks = false
        melodySettings.pitchChangeLead = 0
        // The salience does not flip octaves within a steady tone as YIN does; there, a
        // held wait only delayed the melody's notes (2 accompanied occurrences fewer with
        // 60 motifs over 13 generated sets).
        melodySettings.octaveJumpFrames = 0
        melody = NoteReading(segmenter: NoteSegmenter(settings: melodySettings, hopSeconds: settings.hopSeconds),
                             matcher: matcher)
        install(matcher)
    }

    /// Swaps in another library between two blocks: pitch and note state carry on, so no
    /// audio is lost; alignments in progress start afresh. Build the matcher off the audio
    /// path (`MotifMatcher(library:)`) and hand it over here.
    public func replaceLibrary(_ library: MotifLibrary, matcher: MotifMatcher) {
        self.library = library
        install(matcher)
    }

    /// Hands each reading its copy of `matcher`: the melody reading with its own costs, both
    /// making candidates if asked to.
    private func install(_ matcher: MotifMatcher) {
        yin.matcher = matcher
        yin.matcher.reportsCandidates = reportsCandidates
        melody.matcher = matcher
        melody.matcher.reportsCandidates = reportsCandidates
        melody.matcher.octaveDisplacementCost = Self.melodyOctaveDisplacementCost
        melody.matcher.accompanimentMargin = Self.melodyAccompanimentMargin
        melody.matcher.lookback = Self.melodyLookback
        // The accompaniment's attacks split the melody's held notes (a piece per chord or
        // arpeggio note): there a split is the rule, not other music's repeated notes taken
        // for one, so it pays no share of a large library's threshold rise. (Over the 13
        // generated sets with 2,060 motifs: accompanied 104 -> 117 of 208 occurrences, 5
        // more false positives in all.)
        melody.matcher.splitCost = matcher.settings.splitCost
    }

    /// Stream time: seconds of audio consumed.
    public var streamTime: Double { Double(samplesConsumed) / Double(settings.sampleRate) }

    deinit { conditioned.deallocate() }

    /// Starts a new, independent stream (the next file).
    public func reset() {
        pitch.reset()
        hum.reset()
        yin.reset()
        melody.reset()
        reports.reset()
        lastCandidate = nil
        disagreement = 0
        lastDisagreement = -.infinity
        melodyActive = false
        octaveCheck.reset()
        pitch.salienceEveryFrame = false
        samplesConsumed = 0
    }

    public func process(_ samples: UnsafeBufferPointer<Float>, emit: (ListenerEvent) -> Void) {
        guard let base = samples.baseAddress else { return }
        var offset = 0
        while offset < samples.count {
            let count = min(Self.conditionedCapacity, samples.count - offset)
            hum.measure(base + offset, count: count)
            if hum.humFrequency != nil {
                hum.filter(base + offset, into: conditioned, count: count)
                pitch.process(UnsafeBufferPointer(start: conditioned, count: count)) { analyse($0, emit) }
            } else {
                pitch.process(UnsafeBufferPointer(start: base + offset, count: count)) { analyse($0, emit) }
            }
            offset += count
        }
        samplesConsumed += samples.count
    }

    /// Everything a pitch frame sets off: notes, the melody reading, recognitions.
    private func analyse(_ frame: PitchFrame, _ emit: (ListenerEvent) -> Void) {
        emit(.pitch(frame))
        yin.process(frame, onNote: { emit(.note($0)) }, report: { report($0, emit) }, anticipate: { anticipate($0, emit) })
        // The second reading runs while the music has more than one voice (the most
        // salient pitch and YIN's often differ): accompaniment, ringing strings.
        if frame.voiced && frame.salientMidi > 0 {
            let differs: Float = abs(frame.salientMidi - frame.midi) > 1 ? 1 : 0
            disagreement += Self.disagreementRate * (differs - disagreement)
            octaveCheck.observe(frame)
            let wasActive = melodyActive
            if !melodyActive && disagreement > Self.melodyOn { melodyActive = true }
            if disagreement >= Self.melodyOff { lastDisagreement = frame.time }
            if melodyActive && frame.time - lastDisagreement >= Self.melodyHold { melodyActive = false }
            if melodyActive && !wasActive { melody.segmenter.reset() }  // its last frames are stale
            pitch.salienceEveryFrame = melodyActive
        }
        if melodyActive {
            var melodyFrame = frame
            melodyFrame.midi = octaveCheck.melodyPitch(of: frame)
            if !frame.voiced && frame.salientMidi > 0 {
                // YIN found no period, but the mix has a salient pitch (see
                // `StreamingPitchEstimator.salienceEveryFrame`): the melody sounds on.
                melodyFrame.voiced = true
                melodyFrame.frequency = frequency(ofMidi: melodyFrame.midi)
            }
            melody.process(melodyFrame, onNote: { _ in }, report: { report($0, emit) }, anticipate: { anticipate($0, emit) })
        }
    }

    /// Ends the stream: the note still sounding is closed.
    public func finish(emit: (ListenerEvent) -> Void) {
        yin.finish(at: streamTime, onNote: { emit(.note($0)) }, report: { report($0, emit) })
        melody.finish(at: streamTime, onNote: { _ in }, report: { report($0, emit) })
    }

    /// One occurrence, one report (see `OneReportPerOccurrence`).
    private func report(_ recognition: Recognition, _ emit: (ListenerEvent) -> Void) {
        if reports.admit(recognition) { emit(.recognition(recognition)) }
    }

    /// Both readings may follow the same motif: one report per step of its progress.
    private func anticipate(_ candidate: MotifCandidate, _ emit: (ListenerEvent) -> Void) {
        if let last = lastCandidate, last.motifID == candidate.motifID, abs(last.start - candidate.start) < 0.3,
           last.matchedNotes >= candidate.matchedNotes { return }
        lastCandidate = candidate
        emit(.candidate(candidate))
    }
}
