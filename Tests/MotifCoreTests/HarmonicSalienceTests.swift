import MotifCore
import XCTest

/// The predominant pitch against YIN's on a melody over an accompaniment, and the listener
/// pipeline with both of its readings on such a mix.
final class HarmonicSalienceTests: XCTestCase {
    /// A bass (a root and its fifth, in two octaves) held under the melody, 6 dB softer in all.
    private func accompaniment(seconds: Double) -> [Float] {
        var events: [MelodySynthesizer.Event] = []
        var start = 0.0
        while start < seconds {
            for (midi, velocity) in [(41.0, 0.1), (48.0, 0.04), (53.0, 0.04)] as [(Double, Float)] {
                events.append(MelodySynthesizer.Event(midi: midi, start: start, duration: 1.9, velocity: velocity))
            }
            start += 2
        }
        return render(events, .clarinet, seconds: seconds)
    }

    private func mix(_ a: [Float], _ b: [Float]) -> [Float] { zip(a, b).map { $0 + $1 } }

    /// What the listener pipeline recognises of `samples` with `motif` as its library.
    private func recognitions(of samples: [Float], _ motif: Motif) -> [Recognition] {
        let pipeline = ListenerPipeline(library: MotifLibrary(motifs: [motif]))
        var found: [Recognition] = []
        samples.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = min(256, buffer.count - offset)
                pipeline.process(UnsafeBufferPointer(rebasing: buffer[offset..<offset + count])) {
                    if case .recognition(let r) = $0 { found.append(r) }
                }
                offset += count
            }
        }
        pipeline.finish { if case .recognition(let r) = $0 { found.append(r) } }
        return found
    }

    /// The most salient pitch of every voiced frame from 0.3 to 1.7 s.
    private func salientPitches(of samples: [Float]) -> [Float] {
        let estimator = StreamingPitchEstimator()
        estimator.salienceEveryFrame = true
        var salient: [Float] = []
        samples.withUnsafeBufferPointer { buffer in
            estimator.process(buffer) { frame in
                guard frame.time > 0.3, frame.time < 1.7, frame.voiced else { return }
                salient.append(frame.salientMidi)
            }
        }
        return salient
    }

    func testTheMelodyReadingOutlastsAPauseOfTheAccompaniment() {
        // A flute line over the bass from 0 to 1.9 s and from 2.5 to 4.4 s, alone between
        // (0.6 s), then holding one long note alone: the reading stays on through the pause
        // (switching off and on would lose the line's notes there) and goes off once the
        // two pitches have agreed for a second.
        var line: [MelodySynthesizer.Event] = []
        for (index, midi) in [69.0, 71, 72, 74, 72, 71, 69, 67, 69].enumerated() {
            line.append(MelodySynthesizer.Event(midi: midi, start: 0.1 + 0.5 * Double(index), duration: 0.45, velocity: 0.3))
        }
        line.append(MelodySynthesizer.Event(midi: 71, start: 4.6, duration: 2.5, velocity: 0.3))
        var bass: [MelodySynthesizer.Event] = []
        for start in [0.0, 2.5] {
            for (midi, velocity) in [(41.0, 0.1), (48.0, 0.04), (53.0, 0.04)] as [(Double, Float)] {
                bass.append(MelodySynthesizer.Event(midi: midi, start: start, duration: 1.9, velocity: velocity))
            }
        }
        let seconds = 7.2
        let samples = mix(render(line, .flute, seconds: seconds), render(bass, .clarinet, seconds: seconds))
        let pipeline = ListenerPipeline(library: MotifLibrary(motifs: []))
        var states: [(time: Double, on: Bool)] = []
        samples.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = min(160, buffer.count - offset)
                pipeline.process(UnsafeBufferPointer(rebasing: buffer[offset..<offset + count])) { _ in }
                offset += count
                states.append((pipeline.streamTime, pipeline.readsMelody))
            }
        }
        let firstOn = states.first { $0.on }?.time ?? 99
        XCTAssertLessThan(firstOn, 1.0, "on while the bass sounds")
        XCTAssertTrue(states.filter { $0.time > firstOn && $0.time < 4.4 }.allSatisfy(\.on), "through the pause")
        XCTAssertFalse(states.filter { $0.time > 6.2 }.contains { $0.on }, "off in the long note alone")
    }

    func testTheMelodyIsMoreSalientThanTheBassUnderIt() {
        let melody = render([MelodySynthesizer.Event(midi: 69, start: 0.1, duration: 1.8, velocity: 0.3)], .flute, seconds: 2)
        let salient = salientPitches(of: mix(melody, accompaniment(seconds: 2)))
        XCTAssertGreaterThan(salient.count, 100)
        let onMelody = salient.filter { abs($0 - 69) < 0.5 }.count
        XCTAssertGreaterThan(Double(onMelody) / Double(salient.count), 0.9, "the melody's A4")
    }

    func testABassUnderTheSoughtRangeIsNotTakenForTheMelodyAnOctaveUp() {
        // A bowed or plucked bass has a weak fundamental and a strong octave: its A2 (under
        // the range the melody is sought in) votes for A3 more than a softer flute's D#5
        // does for itself. A3 is the bass's harmonic, though, not a note.
        let bassTimbre = MelodySynthesizer.Timbre(harmonics: [0.5, 1, 0.6, 0.5, 0.3, 0.2], attack: 0.02, release: 0.05, decay: 0)
        let bass = render([MelodySynthesizer.Event(midi: 45, start: 0.05, duration: 1.9, velocity: 0.3)], bassTimbre, seconds: 2)
        let melody = render([MelodySynthesizer.Event(midi: 75, start: 0.1, duration: 1.8, velocity: 0.2)], .flute, seconds: 2)
        let salient = salientPitches(of: mix(melody, bass))
        XCTAssertGreaterThan(salient.count, 100)
        let onMelody = salient.filter { abs($0 - 75) < 0.5 }.count
        XCTAssertGreaterThan(Double(onMelody) / Double(salient.count), 0.9, "the melody's D#5, not the bass's A3: \(salient.prefix(10))")
    }

    func testAMelodyDoubledAnOctaveBelowIsHeardAtItsOwnOctave() {
        // A flute's A4 over an F major chord whose A3 doubles it an octave below, with the
        // bass loud enough to be YIN's period. The A3 gets the flute's harmonics as its own
        // even ones and outvotes the A4, which looks like its second harmonic; but the A3's
        // even harmonics far outweigh its odd ones: a note an octave above it sounds too.
        let chordTimbre = MelodySynthesizer.Timbre(harmonics: [0.7, 0.5, 0.6, 0.2, 0.3], attack: 0.02, release: 0.05, decay: 0)
        let chordTone = render([MelodySynthesizer.Event(midi: 57, start: 0.05, duration: 1.9, velocity: 0.2)],
                               chordTimbre, seconds: 2)
        let bass = render([(41.0, 0.3), (48.0, 0.1), (53.0, 0.1)].map {
            MelodySynthesizer.Event(midi: $0.0, start: 0, duration: 1.9, velocity: Float($0.1))
        }, .clarinet, seconds: 2)
        let melody = render([MelodySynthesizer.Event(midi: 69, start: 0.1, duration: 1.8, velocity: 0.2)], .flute, seconds: 2)
        let salient = salientPitches(of: mix(mix(melody, chordTone), bass))
        XCTAssertGreaterThan(salient.count, 100)
        let onMelody = salient.filter { abs($0 - 69) < 0.5 }.count
        XCTAssertGreaterThan(Double(onMelody) / Double(salient.count), 0.7, "the melody's A4, not the A3: \(salient.prefix(10))")
    }

    func testWhereYINFindsNoPeriodTheMelodyReadingStillGetsTheSalientPitch() {
        // A flute's A4 under loud noise (a cymbal's wash over the melody): no frame has a
        // period clear enough for YIN, but the flute's harmonics stand out of the spectrum.
        // The melody reading gets them; when it is off, nothing is computed for such frames.
        let melody = render([MelodySynthesizer.Event(midi: 69, start: 0.1, duration: 1.8, velocity: 0.2)], .flute, seconds: 2)
        let samples = mix(melody, noise(seconds: 2, amplitude: 0.3))
        for everyFrame in [true, false] {
            let estimator = StreamingPitchEstimator()
            estimator.salienceEveryFrame = everyFrame
            var frames: [PitchFrame] = []
            samples.withUnsafeBufferPointer { buffer in
                estimator.process(buffer) { frame in if frame.time > 0.3 && frame.time < 1.7 { frames.append(frame) } }
            }
            XCTAssertFalse(frames.contains(where: \.voiced), "too noisy for YIN")
            let onMelody = frames.filter { abs($0.salientMidi - 69) < 0.5 }.count
            if everyFrame {
                XCTAssertGreaterThan(Double(onMelody) / Double(frames.count), 0.9)
            } else {
                XCTAssertTrue(frames.allSatisfy { $0.salientMidi == 0 })
            }
        }
    }

    func testOneToneWithStrongEvenHarmonicsIsOneNote() {
        // An organ with an octave rank: even harmonics far stronger than odd ones, but one
        // periodic tone, and YIN's period is its own. Its octave is not a second note.
        let organ = MelodySynthesizer.Timbre(harmonics: [0.6, 1, 0.15, 0.8, 0.1, 0.5], attack: 0.03, release: 0.05, decay: 0)
        let salient = salientPitches(of: render([MelodySynthesizer.Event(midi: 62, start: 0.05, duration: 1.9, velocity: 0.3)],
                                                organ, seconds: 2))
        XCTAssertGreaterThan(salient.count, 100)
        let onNote = salient.filter { abs($0 - 62) < 0.5 }.count
        XCTAssertGreaterThan(Double(onNote) / Double(salient.count), 0.9, "the organ's D4, not D5: \(salient.prefix(10))")
    }

    func testAMotifOverAnAccompanimentIsRecognised() {
        let motif = Motif(id: "call", notes: try! MotifNotation.parse("C5:1 A4:0.5 F5:0.5 E5:1 C5:1 D5:0.5 F5:0.5 C5:2"))
        var events: [MelodySynthesizer.Event] = []
        var time = 1.0
        for note in motif.notes {
            events.append(MelodySynthesizer.Event(midi: Double(note.midi! - 12), start: time, duration: note.beats * 0.45, velocity: 0.3))
            time += note.beats * 0.5
        }
        let seconds = time + 1.5
        let solo = render(events, .flute, seconds: seconds)
        let accompanied = mix(solo, accompaniment(seconds: seconds))
        XCTAssertEqual(recognitions(of: solo, motif).map(\.motifID), ["call"])
        let found = recognitions(of: accompanied, motif)
        XCTAssertEqual(found.map(\.motifID), ["call"], "once, though both readings may hear it")
        XCTAssertEqual(found.first?.transposition, -12)
    }
}

extension HarmonicSalienceTests {
    func testAMelodyNoteHiddenByAChordTonePluckedWithItIsHeardFromItsOwnOnset() {
        // A bowed line (a slow attack) over the bass, with a chord tone plucked as loud as
        // the line at every other note's onset, a tenth under it: the salience hears the
        // pluck first and the bowed note only as the pluck fades, 0.15 to 0.25 s late.
        let motif = Motif(id: "call", notes: try! MotifNotation.parse("C5:1 A4:0.5 F5:0.5 E5:1 C5:1 D5:0.5 F5:0.5 C5:2"))
        let bowed = MelodySynthesizer.Timbre(harmonics: [1, 0.6, 0.45, 0.3, 0.2, 0.1], attack: 0.3, release: 0.05, decay: 0)
        var line: [MelodySynthesizer.Event] = []
        var plucks: [MelodySynthesizer.Event] = []
        var time = 1.0
        for (index, note) in motif.notes.enumerated() {
            let midi = Double(note.midi!)
            line.append(MelodySynthesizer.Event(midi: midi, start: time, duration: note.beats * 0.55, velocity: 0.3))
            if index % 2 == 1 {
                plucks.append(MelodySynthesizer.Event(midi: midi - 16, start: time, duration: 0.2, velocity: 0.35))
            }
            time += note.beats * 0.6
        }
        let seconds = time + 1.5
        let samples = mix(mix(render(line, bowed, seconds: seconds), render(plucks, .plucked, seconds: seconds)),
                          accompaniment(seconds: seconds))

        // The premise: 0.1 s into each of those notes the pluck is the most salient pitch,
        // and the bowed note is only later, before 0.3 s.
        let estimator = StreamingPitchEstimator()
        estimator.salienceEveryFrame = true
        var salient: [Int: Float] = [:]
        samples.withUnsafeBufferPointer { buffer in
            estimator.process(buffer) { salient[Int(($0.time * 100).rounded())] = $0.salientMidi }
        }
        for pluck in plucks {
            let frame = Int((pluck.start * 100).rounded())
            XCTAssertEqual(salient[frame + 10] ?? 0, Float(pluck.midi), accuracy: 0.5, "the pluck at \(pluck.start) s")
            let heard = (frame + 11..<frame + 30).first { abs((salient[$0] ?? 0) - Float(pluck.midi + 16)) < 0.5 }
            XCTAssertNotNil(heard, "the line after \(pluck.start) s")
        }

        let found = recognitions(of: samples, motif)
        XCTAssertEqual(found.map(\.motifID), ["call"])
        XCTAssertEqual(found.first?.start ?? 0, 1.0, accuracy: 0.1)
    }
}
