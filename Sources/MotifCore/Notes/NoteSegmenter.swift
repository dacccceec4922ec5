/// Segments the frame-wise pitch track into notes, causally.
///
/// A note starts at a voiced frame after silence, where the pitch moves to a new steady
/// value (held for `changeFrames` frames, so vibrato and glides do not split notes), or
/// at a spectral-flux onset while the pitch stays put (the same note played again:
/// G G G Eb; `SpectralFluxOnsetFunction`, `OnsetPeakPicker`) that is strong enough,
/// next to the note's own attack, to be an attack itself, follows a dip of the level (not
/// a slow attack still swelling), and does not come as the level falls away (a clean
/// tone's release click). It is confirmed,
/// and reported as a `NoteOnset`, once it has lasted `confirmFrames` voiced frames; it ends
/// after `releaseFrames` unvoiced frames or where the next note starts. Shorter blips are
/// dropped; a blip that a steady new pitch cuts off is usually that note's attack, tracked
/// wrong, and the note starts there. Pitch is the median of the note's first 64 frames,
/// past its attack. A dip and rise of the level within a note, with no flux, may be the
/// same note played again legato, or a tremolo: it is offered to the matcher as a
/// possible repeat (`NoteOnset.possibleRepeat`) and the note goes on.
public struct NoteSegmenter {
    public struct Settings: Sendable {
        /// Semitones a frame may stray from the note's pitch before it counts as a change.
        public var changeThreshold: Float = 0.6
        public var changeFrames = 3
        /// A new pitch shows in the track a little after the note began: it must first take
        /// YIN's window over from the last note's ring (a bowed or blown attack is slow).
        /// A note found by its pitch change starts this long (s) before its first frame at
        /// the new pitch. (Over five generated sets such onsets came 0-30 ms after the
        /// truth's with a tail later still; those found by flux or after silence did not.)
        public var pitchChangeLead = 0.01
        public var confirmFrames = 6
        public var releaseFrames = 3
        /// A flux onset re-starts the sounding note only this long (s) after it began...
        public var minimumRestrikeSpacing = 0.07
        /// ...and only if it is at least this share of the note's own attack: a re-attack
        /// is an attack, while a beating chorus or a deep tremolo only ripples the flux.
        public var minimumRestrikeShare: Float = 0.08
        /// Whether a blip too short to be a note, cut off by a steady new pitch, is taken
        /// for that note's mis-tracked attack (a subharmonic or the old note blending into
        /// the new one), so that the note starts there. Right for a single line; in the
        /// most-salient reading of a mix a blip is usually another voice.
        public var blipsAreAttacks = true
        /// A flux peak while the level falls more than this (dB over two frames) is the
        /// note's end, a release click of a clean tone, not a re-attack.
        public var restrikeMaximumFall: Float = 6
        /// A re-attack comes after a dip: the level must have fallen this far (dB) under
        /// the note's peak so far at some frame since it began. A slow attack still swelling
        /// (a flute's, a bowed string's) has flux peaks of its own, but no dip.
        public var restrikeMinimumDip: Float = 2
        /// After a dip this deep (dB), a re-attack must bring at least
        /// `deepDipRestrikeShare` of the note's own attack: a note played again after a
        /// real gap attacks with a good share of its first flux (0.3 of it in a clean
        /// staccato whose first note came out of silence), while the trough of a deep
        /// tremolo or of an organ's wavering envelope brings back a tenth or so.
        public var deepDip: Float = 12
        public var deepDipRestrikeShare: Float = 0.25
        /// A dip of the level this far (dB) under the note's recent peak, and a rise out of
        /// it by `possibleRepeatRise` within 150 ms, at the note's pitch, is offered to the
        /// matcher as a possible repeat (`NoteOnset.possibleRepeat`), which it may take or
        /// pass over: legato repeats (a flute tonguing, a bow changing direction on one
        /// pitch) often show no flux at all, but a tremolo dips just as deep. The note
        /// itself goes on. 0: none.
        public var possibleRepeatDip: Float = 4
        public var possibleRepeatRise: Float = 3
        /// Dips this close together (s) are a tremolo... A tremolo trembles faster than four
        /// times a second, while three legato repeats of a note at 90 beats a minute dip
        /// 0.33 s apart: at 0.35 s the second of them was taken for a tremolo. (Over 24
        /// generated sets, 0.25 found 3 more occurrences with 60 motifs and 5 more with
        /// 2,060, with no more false positives.)
        public var tremoloSpacing = 0.25
        /// ...and after the latest of them there are no possible repeats for this long (s):
        /// a note or two, as a tremolo goes on across a note change. (Three seconds
        /// silenced the legato repeats of a dozen quick notes after a violin's shimmer in
        /// one long note. Over 24 generated sets, 1.5 found 2 more occurrences with 60
        /// motifs and 6 more with 2,060, with no more false positives.)
        public var tremoloMemory = 1.5
        /// A possible repeat is reported this long (s) after it shows, unless a real onset
        /// (a re-attack with flux, a new pitch) has come meanwhile.
        public var possibleRepeatDelay = 0.08
        /// A flux peak picked on a frame that cannot be judged (unvoiced, or off the note's
        /// pitch: a re-attack's own transient often is) is judged on the next frame that
        /// can, if that comes within this many frames. (A hard re-attack of a piano note
        /// was lost this way. Over 13 generated sets with 2,060 motifs: 5 more occurrences
        /// found, 2 more false positives.)
        public var fluxHoldFrames = 2
        /// A re-attack at the sounding pitch is often the next note's attack heard before
        /// its pitch: a slow instrument (bowed strings, an organ) takes a few frames to take
        /// YIN's window over from the note ringing on, and the pitch then glides into the
        /// new one without a change steady enough to start another note. So a note begun by
        /// a re-attack is confirmed only after this many frames (not `confirmFrames`), at the
        /// median of its latest `restrikePitchFrames`: its onset keeps the re-attack's time
        /// and takes the pitch it arrived at. (Over 24 generated sets: 9 more occurrences
        /// found and 1 false positive fewer with 60 motifs; 14 more found and 3 more false
        /// positives with 2,060; most with string ensembles. 6.8 % of the timbre scenes'
        /// onsets had been reported a third of a semitone or more off their note's pitch.)
        public var restrikeConfirmFrames = 10
        public var restrikePitchFrames = 5
        /// A confirmed note's pitch that jumps by an octave, a twelfth or two octaves with no
        /// flux onset is taken for a new note only once the jump has held this many frames
        /// (not `changeFrames`): in a steady tone it is the tracker's octave error (an
        /// organ's octave ranks, a string ensemble), which comes and goes within a few
        /// frames and had split the note around it into a repeat, while a leap that is
        /// played brings an attack of its own. A held leap keeps its onset time; it is
        /// reported later. 0: off. (Over 24 generated sets: 7 more occurrences found with
        /// 60 motifs and 6 with 2,060, 1 false positive fewer with 60; most in organ and
        /// string scenes. Latency p90 unchanged but for 0.01 s in two sets. It loses where
        /// the sounding note is itself misread octaves off and the jump is the tracker
        /// finding the note again, as with a piano note in loud noise: within those
        /// figures, 1 occurrence lost with 60 motifs and 5 with 2,060, most in noise.)
        public var octaveJumpFrames = 12

        public init() {}
    }

    public let settings: Settings
    private let hop: Double

    private var active = false
    private var confirmed = false
    private var start: Double = 0
    private var lastVoicedTime: Double = 0
    private var unvoicedRun = 0
    /// Possible repeats: the level's dips, and the one waiting for its delay.
    private var dips: LevelDipDetector
    private var pendingRepeat: (start: Double, pitch: Float, due: Double)?
    private var pitches: [Float]       // the note's first 64 frame pitches: enough for its median
    private var pitchCount = 0
    private var scratch: [Float]
    private var referencePitch: Float = 0
    private var deviationRun = 0
    private var deviationStart: Double = 0
    private var deviationPitches: [Float]
    private var onsetPicker = OnsetPeakPicker()
    /// The latest flux peak not judged yet, and frames since it was picked.
    private var heldFlux: (peak: OnsetPeakPicker.Peak, age: Int)?
    /// Onset strength of the last few frames, and the sounding note's attack: the
    /// strongest of them around its start.
    private var recentStrengths: (Float, Float, Float, Float) = (0, 0, 0, 0)
    private var attackStrength: Float = 0
    private var framesSinceBegin = 0
    /// Whether the sounding note began as a re-attack at the pitch before it.
    private var begunByRestrike = false
    /// When the latest flux peak was picked.
    private var latestFluxTime = -Double.infinity
    private var lastNotePitch: Float = 0
    /// Window level of the last two frames.
    private var recentLevels: (Float, Float) = (-200, -200)
    /// The sounding note's highest window level so far, and its deepest dip under it.
    private var notePeakLevel: Float = -200
    private var deepestDip: Float = 0

    public init(settings: Settings = Settings(), hopSeconds: Double) {
        self.settings = settings
        hop = hopSeconds
        pitches = [Float](repeating: 0, count: 64)
        scratch = [Float](repeating: 0, count: 64)
        deviationPitches = [Float](repeating: 0, count: max(1, settings.changeFrames, settings.octaveJumpFrames))
        dips = LevelDipDetector(settings: .init(depth: settings.possibleRepeatDip, rise: settings.possibleRepeatRise,
                                                tremoloSpacing: settings.tremoloSpacing,
                                                tremoloMemory: settings.tremoloMemory))
    }

    /// Feeds one frame; `onOnset` reports a note as soon as it is confirmed, `onNote` when
    /// it has ended.
    public mutating func process(_ frame: PitchFrame, onOnset: (NoteOnset) -> Void, onNote: (Note) -> Void) {
        if let picked = onsetPicker.process(strength: frame.onsetStrength, time: frame.time) {
            heldFlux = (picked, 0)
            latestFluxTime = picked.time
        } else if let held = heldFlux {
            heldFlux = held.age < settings.fluxHoldFrames ? (held.peak, held.age + 1) : nil
        }
        recentStrengths = (recentStrengths.1, recentStrengths.2, recentStrengths.3, frame.onsetStrength)
        let falling = recentLevels.0 - frame.windowLevelDB
        if active {
            notePeakLevel = max(notePeakLevel, frame.windowLevelDB)
            deepestDip = max(deepestDip, notePeakLevel - frame.windowLevelDB)
        }
        recentLevels = (recentLevels.1, frame.windowLevelDB)
        framesSinceBegin += 1
        if framesSinceBegin <= 3 { attackStrength = max(attackStrength, frame.onsetStrength) }
        if let pending = pendingRepeat, frame.time >= pending.due {
            onOnset(NoteOnset(start: pending.start, pitch: pending.pitch, confirmed: frame.time, possibleRepeat: true))
            pendingRepeat = nil
        }
        if settings.possibleRepeatDip > 0 && active && confirmed,
           let dip = dips.process(level: frame.windowLevelDB, voiced: frame.voiced, time: frame.time) {
            let notePitch = currentPitch()
            if abs(frame.midi - notePitch) <= settings.changeThreshold {
                // Held back a little: a real re-attack (flux) may follow and report it.
                pendingRepeat = (dip, notePitch, frame.time + settings.possibleRepeatDelay)
                dips.accept(dip)
            }
        }
        guard frame.voiced else {
            guard active else { return }
            unvoicedRun += 1
            deviationRun = 0
            if unvoicedRun >= settings.releaseFrames { finish(at: lastVoicedTime + hop, onNote: onNote) }
            return
        }
        unvoicedRun = 0
        guard active else {
            begin(at: frame.time, pitch: frame.midi)
            return
        }
        let reference = currentPitch()
        if abs(frame.midi - reference) > settings.changeThreshold {
            // A possible pitch change: wait until the new pitch holds steady.
            if deviationRun > 0, abs(frame.midi - deviationPitches[0]) > settings.changeThreshold {
                deviationRun = 0
            }
            if deviationRun == 0 { deviationStart = frame.time }
            if deviationRun < deviationPitches.count { deviationPitches[deviationRun] = frame.midi }
            deviationRun += 1
            if deviationRun >= framesToChange(to: deviationPitches[0], from: reference) {
                let run = deviationRun
                let blipIsAttack = settings.blipsAreAttacks && !confirmed
                    && abs(medianPitch() - lastNotePitch) > settings.changeThreshold
                let changeStart = blipIsAttack ? start : max(start + hop, deviationStart - settings.pitchChangeLead)
                finish(at: changeStart, onNote: onNote)
                begin(at: changeStart, pitch: deviationPitches[0])
                for i in 1..<min(run, deviationPitches.count) { append(deviationPitches[i]) }
                lastVoicedTime = frame.time
                confirmIfReady(now: frame.time, onOnset: onOnset)
            }
            return
        }
        deviationRun = 0
        let flux = heldFlux?.peak
        heldFlux = nil  // judged now
        if let peak = flux, peak.time - start >= settings.minimumRestrikeSpacing,
           peak.strength >= settings.minimumRestrikeShare * attackStrength,
           falling <= settings.restrikeMaximumFall, deepestDip >= settings.restrikeMinimumDip,
           deepestDip < settings.deepDip || peak.strength >= settings.deepDipRestrikeShare * attackStrength {
            // The same pitch again: the frames since the onset belong to the new note.
            let onset = peak.time
            let framesSince = Int(((frame.time - onset) / hop).rounded())
            finish(at: onset, onNote: onNote)
            begin(at: onset, pitch: frame.midi)
            begunByRestrike = true
            attackStrength = peak.strength
            for _ in 0..<framesSince { append(frame.midi) }
            lastVoicedTime = frame.time
            confirmIfReady(now: frame.time, onOnset: onOnset)
            return
        }
        append(frame.midi)
        lastVoicedTime = frame.time
        confirmIfReady(now: frame.time, onOnset: onOnset)
    }

    /// Forgets the note in progress (a new stream, or a gap in the frames), keeping the
    /// buffers.
    public mutating func reset() {
        active = false
        confirmed = false
        pitchCount = 0
        deviationRun = 0
        unvoicedRun = 0
        onsetPicker.reset()
        recentStrengths = (0, 0, 0, 0)
        heldFlux = nil
        latestFluxTime = -.infinity
        recentLevels = (-200, -200)
        lastNotePitch = 0
        dips.reset()
        pendingRepeat = nil
    }

    /// Ends a sounding note at the end of the stream.
    public mutating func flush(at time: Double, onNote: (Note) -> Void) {
        if active { finish(at: min(time, lastVoicedTime + hop), onNote: onNote) }
    }

    /// How many frames a deviation to `pitch` must hold to start a new note
    /// (`changeFrames`, or `octaveJumpFrames` for a confirmed note's unattacked octave jump).
    private func framesToChange(to pitch: Float, from reference: Float) -> Int {
        guard settings.octaveJumpFrames > settings.changeFrames, confirmed,
              latestFluxTime < deviationStart - Self.fluxLead else { return settings.changeFrames }
        let jump = abs(pitch - reference)
        let tolerance = settings.changeThreshold
        let isOctaveJump = abs(jump - 12) <= tolerance || abs(jump - 19) <= tolerance || abs(jump - 24) <= tolerance
        return isOctaveJump ? settings.octaveJumpFrames : settings.changeFrames
    }

    /// A flux peak this long (s) before a pitch change still counts as its attack.
    private static let fluxLead = 0.03

    private mutating func begin(at time: Double, pitch: Float) {
        dips.noteBegan(at: time)
        notePeakLevel = recentLevels.1
        deepestDip = 0
        pendingRepeat = nil  // a real onset took its place
        heldFlux = nil
        active = true
        confirmed = false
        begunByRestrike = false
        start = time
        lastVoicedTime = time
        pitchCount = 0
        deviationRun = 0
        append(pitch)
        framesSinceBegin = 0
        attackStrength = max(max(recentStrengths.0, recentStrengths.1), max(recentStrengths.2, recentStrengths.3))
    }

    private mutating func append(_ pitch: Float) {
        if pitchCount < pitches.count { pitches[pitchCount] = pitch }
        pitchCount += 1
    }

    private mutating func confirmIfReady(now: Double, onOnset: (NoteOnset) -> Void) {
        guard !confirmed, pitchCount >= (begunByRestrike ? settings.restrikeConfirmFrames : settings.confirmFrames)
        else { return }
        confirmed = true
        let pitch = begunByRestrike ? medianPitch(ofLatest: settings.restrikePitchFrames) : medianPitch()
        onOnset(NoteOnset(start: start, pitch: pitch, confirmed: now))
    }

    private mutating func finish(at end: Double, onNote: (Note) -> Void) {
        if confirmed {
            lastNotePitch = medianPitch()
            onNote(Note(start: start, end: max(end, start + hop), pitch: lastNotePitch))
        }
        active = false
        confirmed = false
        pitchCount = 0
        deviationRun = 0
    }

    /// Running reference: median once a few frames exist, else the latest.
    private mutating func currentPitch() -> Float {
        if pitchCount < 3 { return pitches[max(0, min(pitchCount, pitches.count) - 1)] }
        if pitchCount <= pitches.count { referencePitch = medianPitch() }
        return referencePitch
    }

    private mutating func medianPitch() -> Float {
        let n = min(pitchCount, pitches.count)
        // Skip the two attack frames: they carry the onset's pitch transients (a bowed or
        // blown note slides in from below).
        return median(ofFrames: (n >= 5 ? 2 : 0)..<n)
    }

    /// Median of the note's latest `count` frame pitches (of its first 64).
    private mutating func medianPitch(ofLatest count: Int) -> Float {
        let n = min(pitchCount, pitches.count)
        return median(ofFrames: max(0, n - count)..<n)
    }

    private mutating func median(ofFrames frames: Range<Int>) -> Float {
        guard !frames.isEmpty else { return 0 }
        for i in frames { scratch[i - frames.lowerBound] = pitches[i] }
        let m = frames.count
        scratch.withUnsafeMutableBufferPointer { buffer in
            // Insertion sort on the few values of a note is cheap and allocation-free.
            for i in 1..<max(1, m) {
                let value = buffer[i]
                var j = i - 1
                while j >= 0 && buffer[j] > value { buffer[j + 1] = buffer[j]; j -= 1 }
                buffer[j + 1] = value
            }
        }
        return scratch[m / 2]
    }
}
