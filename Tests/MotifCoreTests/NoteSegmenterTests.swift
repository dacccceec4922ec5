import MotifCore
import XCTest

final class NoteSegmenterTests: XCTestCase {
    private func notes(of samples: [Float]) -> (onsets: [NoteOnset], notes: [Note]) {
        var segmenter = NoteSegmenter(hopSeconds: 0.01)
        var onsets: [NoteOnset] = []
        var notes: [Note] = []
        let frames = pitchFrames(of: samples)
        for frame in frames {
            segmenter.process(frame, onOnset: { onsets.append($0) }, onNote: { notes.append($0) })
        }
        segmenter.flush(at: frames.last?.time ?? 0) { notes.append($0) }
        return (onsets, notes)
    }


    func testRepeatedNotesOfOnePitchSplit() {
        // G G G Eb, the fate motif, with short articulation gaps.
        let events = [67.0, 67, 67, 63].enumerated().map { index, pitch in
            MelodySynthesizer.Event(midi: pitch, start: 0.2 + Double(index) * 0.25, duration: index == 3 ? 0.8 : 0.2)
        }
        let result = notes(of: render(events, .clarinet, seconds: 1.6))
        XCTAssertEqual(result.notes.map { Int($0.pitch.rounded()) }, [67, 67, 67, 63])
        for (note, event) in zip(result.notes, events) {
            XCTAssertEqual(note.start, event.start, accuracy: 0.05)
        }
        XCTAssertEqual(result.onsets.count, 4, "\(result.onsets)")
    }

    /// A4 with the amplitude envelope `gain(t)` (a steady tone with three harmonics).
    private func tone(seconds: Double, gain: (Double) -> Double) -> [Float] {
        let rate = 16_000.0
        return (0..<Int(seconds * rate)).map { n in
            let t = Double(n) / rate, phase = 2 * Double.pi * 440 * t
            return Float(gain(t) * (0.3 * sin(phase) + 0.12 * sin(2 * phase) + 0.05 * sin(3 * phase)))
        }
    }

    func testALegatoRepeatIsOfferedAsAPossibleRepeat() {
        // One pitch played twice without a gap or an attack: the level dips 8 dB at 0.6 s.
        let samples = tone(seconds: 1.3) { t in
            let fadeIn = min(1, t / 0.02), dip = max(0, 1 - abs(t - 0.6) / 0.06)
            return fadeIn * pow(10, -8 * dip / 20) * (t < 1.25 ? 1 : 0)
        }
        let result = notes(of: samples)
        XCTAssertEqual(result.notes.map { Int($0.pitch.rounded()) }, [69], "the note itself goes on")
        let possible = result.onsets.filter(\.possibleRepeat)
        XCTAssertEqual(possible.count, 1)
        XCTAssertEqual(possible.first?.start ?? 0, 0.6, accuracy: 0.04)
        XCTAssertEqual(possible.first?.pitch ?? 0, 69, accuracy: 0.3)
        XCTAssertEqual(result.onsets.filter { !$0.possibleRepeat }.count, 1)
    }

    func testATremoloIsNotTakenForRepeats() {
        // 6 Hz amplitude tremolo, 8 dB deep, for two seconds: at most its first dip.
        let samples = tone(seconds: 2.2) { t in
            min(1, t / 0.02) * pow(10, -4 * (1 - cos(2 * .pi * 6 * t)) / 20) * (t < 2.1 ? 1 : 0)
        }
        let result = notes(of: samples)
        XCTAssertEqual(result.notes.count, 1)
        XCTAssertLessThanOrEqual(result.onsets.filter(\.possibleRepeat).count, 1)
    }

    func testLegatoRepeatsAfterATremoloHasEndedAreOfferedAgain() {
        // Half a second of 6 Hz tremolo, then a steady tone with legato repeats (8 dB dips)
        // at 2.4 and 2.8 s: the tremolo is over, so both are possible repeats.
        let samples = tone(seconds: 3.3) { t in
            let tremolo = t < 0.5 ? pow(10, -4 * (1 - cos(2 * .pi * 6 * t)) / 20) : 1
            let dip = max(0, 1 - abs(t - 2.4) / 0.06) + max(0, 1 - abs(t - 2.8) / 0.06)
            return min(1, t / 0.02) * tremolo * pow(10, -8 * dip / 20) * (t < 3.25 ? 1 : 0)
        }
        let result = notes(of: samples)
        XCTAssertEqual(result.notes.count, 1)
        let possible = result.onsets.filter(\.possibleRepeat).map(\.start)
        XCTAssertEqual(possible.filter { $0 > 2 }.count, 2, "\(possible)")
        XCTAssertLessThanOrEqual(possible.filter { $0 < 1 }.count, 1, "the tremolo's own dips: \(possible)")
    }

    func testLegatoRepeatsAt90BeatsAMinuteAreNoTremolo() {
        // One pitch played four times legato in eighths at 90 bpm: 8 dB dips 0.33 s apart.
        let dips = [0.5, 0.83, 1.16]
        let samples = tone(seconds: 1.6) { t in
            let dip = dips.map { max(0, 1 - abs(t - $0) / 0.06) }.reduce(0, +)
            return min(1, t / 0.02) * pow(10, -8 * dip / 20) * (t < 1.55 ? 1 : 0)
        }
        let result = notes(of: samples)
        XCTAssertEqual(result.notes.count, 1)
        let possible = result.onsets.filter(\.possibleRepeat).map(\.start)
        XCTAssertEqual(possible.count, 3, "\(possible)")
        for (start, dip) in zip(possible, dips) { XCTAssertEqual(start, dip, accuracy: 0.04) }
    }

    func testDecayingPluckedNotesAreNotSplit() {
        let events = [60.0, 64, 67].enumerated().map { index, pitch in
            MelodySynthesizer.Event(midi: pitch, start: 0.1 + Double(index) * 0.7, duration: 0.65)
        }
        let result = notes(of: render(events, .plucked, seconds: 2.3))
        XCTAssertEqual(result.notes.map { Int($0.pitch.rounded()) }, [60, 64, 67])
    }

    func testVibratoAndGlideDoNotMakeSpuriousNotes() {
        let rate = 16_000.0
        var phase = 0.0
        // 1 s of A4 with vibrato, a 60 ms glide up to C5, then 0.8 s of C5.
        let samples: [Float] = (0..<Int(1.86 * rate)).map { n in
            let t = Double(n) / rate
            var f: Double
            if t < 1 { f = 440 * pow(2, 0.35 / 12 * sin(2 * .pi * 5.5 * t)) }
            else if t < 1.06 { f = 440 * pow(2, 3 * (t - 1) / 0.06 / 12) }
            else { f = 523.25 }
            phase += 2 * .pi * f / rate
            return Float(0.3 * sin(phase) + 0.12 * sin(2 * phase) + 0.05 * sin(3 * phase))
        }
        let result = notes(of: samples)
        XCTAssertEqual(result.notes.map { Int($0.pitch.rounded()) }, [69, 72])
    }

    /// 1.2 s of 10 ms frames of an A4 that starts at frame 10 with onset strength 2, in a
    /// quiet texture (onset strength 0.01 elsewhere, so peaks clear the picker): frame i has
    /// `level(i)` dB, a pitch if `voiced(i)` (and i >= 10), and onset strength `peak(i)` if
    /// given.
    private func segment(level: (Int) -> Float, voiced: (Int) -> Bool = { _ in true },
                         peak: (Int) -> Float? = { _ in nil }) -> (onsets: [NoteOnset], notes: [Note]) {
        var segmenter = NoteSegmenter(hopSeconds: 0.01)
        var onsets: [NoteOnset] = []
        var notes: [Note] = []
        for i in 0..<120 {
            let sounding = i >= 10 && voiced(i)
            var frame = PitchFrame(time: Double(i) * 0.01, voiced: sounding, frequency: sounding ? 440 : 0,
                                   midi: sounding ? 69 : 0, confidence: 0.95, levelDB: level(i), windowLevelDB: level(i))
            frame.onsetStrength = i == 10 ? 2 : (peak(i) ?? 0.01)
            segmenter.process(frame, onOnset: { onsets.append($0) }, onNote: { notes.append($0) })
        }
        segmenter.flush(at: 1.2) { notes.append($0) }
        return (onsets, notes)
    }

    /// The A4 with a second, `strength`, flux peak at 0.6 s after a dip of the level by
    /// `dip` dB; the `unvoicedAfterPeak` frames after the peak (where the picker knows it
    /// for one) have no pitch.
    private func notes(ofSteadyNoteWithSecondPeak strength: Float, levelAfterPeak: Float = -20, dip: Float = 4,
                       unvoicedAfterPeak: Int = 0) -> [Note] {
        segment(level: { i in i > 60 ? levelAfterPeak : (i >= 57 && i < 60 ? -20 - dip : -20) },
                voiced: { i in !(61..<(61 + unvoicedAfterPeak)).contains(i) },
                peak: { i in i == 60 ? strength : nil }).notes
    }

    func testOnlyARealReattackSplitsASustainedNote() {
        // A ripple of the flux (a beating chorus, a deep tremolo: 4 % of the attack) is
        // not a new attack; a re-attack a quarter as strong as the first is.
        XCTAssertEqual(notes(ofSteadyNoteWithSecondPeak: 0.08).map(\.start), [0.1])
        let split = notes(ofSteadyNoteWithSecondPeak: 0.5)
        XCTAssertEqual(split.count, 2)
        XCTAssertEqual(split.last?.start ?? 0, 0.6, accuracy: 1e-9)
        // A strong peak as the level falls away is the note's end (a release click), not
        // a new attack; one as it holds or swells is.
        XCTAssertEqual(notes(ofSteadyNoteWithSecondPeak: 0.5, levelAfterPeak: -35).map(\.start), [0.1])
        XCTAssertEqual(notes(ofSteadyNoteWithSecondPeak: 0.5, levelAfterPeak: -17).count, 2)
        // With no dip before it, a peak is not a re-attack either (see below).
        XCTAssertEqual(notes(ofSteadyNoteWithSecondPeak: 0.5, dip: 0).count, 1)
        // Out of a 15 dB trough (a deep tremolo), a peak a sixth as strong as the attack is
        // not one; after a real gap a note attacks nearly as hard as at first.
        XCTAssertEqual(notes(ofSteadyNoteWithSecondPeak: 0.3, dip: 15).count, 1)
        XCTAssertEqual(notes(ofSteadyNoteWithSecondPeak: 0.3, dip: 10).count, 2, "a shallower dip")
        XCTAssertEqual(notes(ofSteadyNoteWithSecondPeak: 1.5, dip: 15).count, 2)
    }

    func testAReattackWhosePeakComesOnAnUnpitchedFrameStillSplits() {
        // The re-attack's own transient leaves the tracker without a pitch for a frame or
        // two, right where the picker reports the peak: it is judged on the next frame.
        for unvoiced in 1...2 {
            let split = notes(ofSteadyNoteWithSecondPeak: 0.5, unvoicedAfterPeak: unvoiced)
            XCTAssertEqual(split.count, 2, "\(unvoiced) unvoiced frames")
            XCTAssertEqual(split.last?.start ?? 0, 0.6, accuracy: 1e-9)
        }
        // A ripple stays a ripple when judged late.
        XCTAssertEqual(notes(ofSteadyNoteWithSecondPeak: 0.08, unvoicedAfterPeak: 1).count, 1)
    }

    func testAShallowQuickLegatoDipIsOfferedAsAPossibleRepeat() {
        // A bowed repeat: the level falls 5 dB over 60 ms and comes back within 100 ms,
        // with neither flux nor a gap in the pitch.
        let result = segment(level: { i in
            if (54...60).contains(i) { return -20 - 5 * Float(i - 54) / 6 }
            if (61...68).contains(i) { return -25 + 4 * Float(i - 60) / 8 }
            return i > 68 ? -21 : -20
        })
        let possible = result.onsets.filter(\.possibleRepeat)
        XCTAssertEqual(possible.count, 1)
        XCTAssertEqual(possible.first?.start ?? 0, 0.6, accuracy: 0.02)
    }

    func testNotesShorterThanTheMinimumAreDropped() {
        let events = [MelodySynthesizer.Event(midi: 60, start: 0.1, duration: 0.5),
                      MelodySynthesizer.Event(midi: 72, start: 0.7, duration: 0.02),
                      MelodySynthesizer.Event(midi: 64, start: 0.9, duration: 0.5)]
        let crisp = MelodySynthesizer.Timbre(harmonics: [1, 0.4, 0.2], attack: 0.005, release: 0.005, decay: 0)
        let result = notes(of: render(events, crisp, seconds: 1.6))
        XCTAssertEqual(result.notes.map { Int($0.pitch.rounded()) }, [60, 64])
    }

    /// The notes of steady frames from 0.1 to 1 s at `midi(frame index)`, attacked with
    /// onset strength 2 at 0.1 s (and at the frames `attacks`) and no flux after.
    private func notes(ofFramesAt midi: (Int) -> Float, _ settings: NoteSegmenter.Settings,
                       attacks: Set<Int> = []) -> [Note] {
        var segmenter = NoteSegmenter(settings: settings, hopSeconds: 0.01)
        var notes: [Note] = []
        for i in 10..<100 {
            let pitch = midi(i)
            var frame = PitchFrame(time: Double(i) * 0.01, voiced: true, frequency: 440 * pow(2, (pitch - 69) / 12),
                                   midi: pitch, confidence: 0.9, levelDB: -20, windowLevelDB: -20)
            frame.onsetStrength = i == 10 || attacks.contains(i) ? 2 : 0.01
            segmenter.process(frame, onOnset: { _ in }, onNote: { notes.append($0) })
        }
        segmenter.flush(at: 1.0) { notes.append($0) }
        return notes
    }

    /// B3 from 0.1 s, a 30 ms blip at 0.5 s (YIN's common subharmonic while the old note
    /// blends into the new one, as at a violin's note change), then D4.
    private func notesAcrossSubharmonicBlip(_ settings: NoteSegmenter.Settings) -> [Note] {
        notes(ofFramesAt: { $0 < 50 ? 59 : ($0 < 53 ? 43.1 : 62) }, settings)
    }

    func testAMistrackedAttackBlipStartsTheNextNote() {
        let notes = notesAcrossSubharmonicBlip(NoteSegmenter.Settings())
        XCTAssertEqual(notes.map { Int($0.pitch.rounded()) }, [59, 62])
        // The blip's own pitch change (at 0.5 s), a hop early like any.
        XCTAssertEqual(notes.last?.start ?? 0, 0.49, accuracy: 1e-9)
        // The most-salient reading of a mix does not: there a blip is another voice.
        var melody = NoteSegmenter.Settings()
        melody.blipsAreAttacks = false
        melody.pitchChangeLead = 0
        XCTAssertEqual(notesAcrossSubharmonicBlip(melody).last?.start ?? 0, 0.53, accuracy: 1e-9)
    }

    func testAFluxPeakInASwellingAttackIsNoReattack() {
        // A4 from 0.1 s, its level swelling by 2 dB a frame for 150 ms (a flute's slow
        // attack), with a second flux peak 80 ms in; in the second case the level dips 3 dB
        // under its peak just before: a real re-attack of the same note.
        func notes(dipBeforePeak: Bool) -> [Note] {
            var segmenter = NoteSegmenter(hopSeconds: 0.01)
            var notes: [Note] = []
            for i in 0..<80 {
                var level = -50 + 2 * Float(min(max(i - 10, 0), 15))
                if dipBeforePeak && (i == 16 || i == 17) { level -= 5 }
                var frame = PitchFrame(time: Double(i) * 0.01, voiced: i >= 10, frequency: 440, midi: 69,
                                       confidence: 0.9, levelDB: level, windowLevelDB: level)
                frame.onsetStrength = i == 10 ? 2 : (i == 18 ? 1.5 : 0.01)
                segmenter.process(frame, onOnset: { _ in }, onNote: { notes.append($0) })
            }
            segmenter.flush(at: 0.8) { notes.append($0) }
            return notes
        }
        XCTAssertEqual(notes(dipBeforePeak: false).map(\.start), [0.1])
        let reattacked = notes(dipBeforePeak: true)
        XCTAssertEqual(reattacked.count, 2)
        XCTAssertEqual(reattacked.last?.start ?? 0, 0.18, accuracy: 1e-9)
    }

    func testAReattackTakesThePitchItGlidesInto() {
        // A4 from 0.1 s; at 0.6 s a re-attack (a dip, then flux) while the tracker still
        // hears the A ringing, gliding into Bb over the next 60 ms without a change steady
        // enough to start another note (the frames of a string ensemble's A to Bb). The
        // re-attack's onset keeps its time and is reported at the Bb it arrived at.
        let glide: [Float] = [68.94, 68.96, 68.99, 69.05, 69.16, 69.24, 69.94, 70.11, 69.68, 69.75, 69.74, 70.08,
                              69.70, 69.77, 69.79, 69.85, 69.91, 69.90, 69.89, 69.90]
        var segmenter = NoteSegmenter(hopSeconds: 0.01)
        var onsets: [NoteOnset] = []
        var notes: [Note] = []
        for i in 0..<100 {
            let level: Float = i == 58 || i == 59 ? -25 : -20
            let midi = i < 60 ? 69 : glide[min(i - 60, glide.count - 1)]
            var frame = PitchFrame(time: Double(i) * 0.01, voiced: i >= 10, frequency: 440 * pow(2, (midi - 69) / 12),
                                   midi: midi, confidence: 0.9, levelDB: level, windowLevelDB: level)
            frame.onsetStrength = i == 10 ? 2 : (i == 60 ? 1.5 : 0.01)
            segmenter.process(frame, onOnset: { onsets.append($0) }, onNote: { notes.append($0) })
        }
        segmenter.flush(at: 1) { notes.append($0) }
        XCTAssertEqual(notes.map(\.start), [0.1, 0.6])
        XCTAssertEqual(onsets.map(\.start), [0.1, 0.6])
        XCTAssertEqual(onsets.last?.pitch ?? 0, 69.9, accuracy: 0.25)
        XCTAssertEqual(notes.last?.pitch ?? 0, 69.9, accuracy: 0.25)
    }

    func testANoteFoundByItsPitchChangeStartsAHopBeforeTheNewPitchShows() {
        // B3 from 0.1 s, D4 from the frame at 0.5 s, with no flux at the change (a legato
        // bow change the tracker follows a little late).
        func notes(_ settings: NoteSegmenter.Settings) -> [Note] { self.notes(ofFramesAt: { $0 < 50 ? 59 : 62 }, settings) }
        let led = notes(NoteSegmenter.Settings())
        XCTAssertEqual(led.map { Int($0.pitch.rounded()) }, [59, 62])
        XCTAssertEqual(led[1].start, 0.49, accuracy: 1e-9)
        XCTAssertEqual(led[0].end, 0.49, accuracy: 1e-9, "the notes do not overlap")
        var atFrame = NoteSegmenter.Settings()
        atFrame.pitchChangeLead = 0
        XCTAssertEqual(notes(atFrame)[1].start, 0.5, accuracy: 1e-9)
    }

    func testAnUnattackedOctaveJumpWithinANoteDoesNotSplitIt() {
        // A3 from 0.1 s; from 0.5 s the tracker hears it an octave up for 80 ms (an organ's
        // octave rank taking over YIN's period), then A3 again: one note, not three.
        let settings = NoteSegmenter.Settings()
        let flip = notes(ofFramesAt: { $0 >= 50 && $0 < 58 ? 69 : 57 }, settings)
        XCTAssertEqual(flip.map { Int($0.pitch.rounded()) }, [57])
        // Played, with an attack, the same leap is a note of its own, found as soon as any.
        let played = notes(ofFramesAt: { $0 >= 50 && $0 < 58 ? 69 : 57 }, settings, attacks: [50])
        XCTAssertEqual(played.map { Int($0.pitch.rounded()) }, [57, 69, 57])
        XCTAssertEqual(played[1].start, 0.49, accuracy: 1e-9)
        // Held legato without an attack, it is a note too, from where it began.
        let held = notes(ofFramesAt: { $0 >= 50 ? 69 : 57 }, settings)
        XCTAssertEqual(held.map { Int($0.pitch.rounded()) }, [57, 69])
        XCTAssertEqual(held[1].start, 0.49, accuracy: 1e-9)
        // A step is a change after `changeFrames` as before (an 80 ms B3 is a note).
        let step = notes(ofFramesAt: { $0 >= 50 && $0 < 58 ? 59 : 57 }, settings)
        XCTAssertEqual(step.map { Int($0.pitch.rounded()) }, [57, 59, 57])
    }
}
