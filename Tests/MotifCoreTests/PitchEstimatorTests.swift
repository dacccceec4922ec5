import MotifCore
import XCTest

final class PitchEstimatorTests: XCTestCase {
    /// Frames well inside a steady tone, away from its edges.
    private func steady(_ frames: [PitchFrame], from: Double, to: Double) -> [PitchFrame] {
        frames.filter { $0.time >= from && $0.time <= to }
    }

    func testSineTonesAcrossTheRange() {
        for frequency in [55.0, 110, 261.63, 440, 987.77, 1760] {
            let frames = steady(pitchFrames(of: sine(frequency: frequency, seconds: 1)), from: 0.1, to: 0.9)
            XCTAssertFalse(frames.isEmpty)
            let voiced = frames.filter(\.voiced)
            XCTAssertEqual(voiced.count, frames.count, "all frames voiced at \(frequency) Hz")
            // Within 15 cents: the sub-sample interpolation is coarsest at the shortest periods.
            for frame in voiced {
                XCTAssertEqual(frame.midi, midi(frequency), accuracy: 0.15, "at \(frequency) Hz, t=\(frame.time)")
            }
        }
    }

    func testMissingFundamentalIsStillTheFundamental() {
        // Harmonics 2..6 of 200 Hz, no energy at 200 Hz itself.
        let rate = 16_000.0
        let samples: [Float] = (0..<16_000).map { n in
            var value = 0.0
            for h in 2...6 { value += sin(2 * .pi * 200 * Double(h) * Double(n) / rate) / Double(h) }
            return Float(0.2 * value)
        }
        let frames = steady(pitchFrames(of: samples), from: 0.1, to: 0.9)
        let correct = frames.filter { $0.voiced && abs($0.midi - midi(200)) < 0.5 }
        XCTAssertGreaterThan(Double(correct.count) / Double(frames.count), 0.95)
    }

    func testAnOrgansQuintDoesNotPullTheNoteAnOctaveDown() {
        // An organ's C#5 with a quint rank (a partial at 1.5 f0, a fifth above the note):
        // the waveform repeats only every two cycles, at C#4, where YIN's deepest dip is;
        // C#4 itself has no energy at all. The note is C#5.
        let rate = 16_000.0, f0 = 554.37
        let partials: [(ratio: Double, amplitude: Double)] = [(1, 0.45), (1.5, 0.6), (2, 0.75), (3, 0.7), (4, 0.25), (5, 0.4), (6, 1)]
        let samples: [Float] = (0..<16_000).map { n in
            let t = Double(n) / rate
            return Float(0.08 * partials.reduce(0) { $0 + $1.amplitude * sin(2 * .pi * f0 * $1.ratio * t) })
        }
        let frames = steady(pitchFrames(of: samples), from: 0.1, to: 0.9)
        let correct = frames.filter { $0.voiced && abs($0.midi - midi(f0)) < 0.5 }
        XCTAssertGreaterThan(Double(correct.count) / Double(frames.count), 0.95,
                             "\(Set(frames.map { ($0.midi * 10).rounded() / 10 }))")
    }

    /// Plucks `ringing`, then `newer` while the first still rings, and checks that at
    /// least 80 % of the frames from `from` to `to` s report `newer`.
    private func assertNewerNoteHeard(ringing: Double, newer: Double, at newerStart: Double,
                                      from: Double, to: Double, line: UInt = #line) {
        let events = [MelodySynthesizer.Event(midi: ringing, start: 0.1, duration: 1.4),
                      MelodySynthesizer.Event(midi: newer, start: newerStart, duration: 1.5 - newerStart)]
        let frames = steady(pitchFrames(of: render(events, .plucked, seconds: 1.6)), from: from, to: to)
        let melody = frames.filter { $0.voiced && abs(Double($0.midi) - newer) < 0.5 }
        XCTAssertGreaterThan(Double(melody.count) / Double(frames.count), 0.8,
                             "\(frames.map { ($0.midi * 10).rounded() / 10 })", line: line)
    }

    func testNewNoteOverARingingOneIsNotTheirCommonSubharmonic() {
        // A plucked D4 still rings when B4 is plucked: together (3:5) they repeat every G2
        // period, where YIN's deepest dip is. The melody is B4.
        assertNewerNoteHeard(ringing: 62, newer: 71, at: 0.6, from: 0.7, to: 1.2)
    }

    func testNewNoteOverARingingNeighbourIsNotTheirBlend() {
        // A plucked A4 rings on when G4 is plucked a tenth of a second later, as loud: YIN's
        // period of the pair falls between theirs (G#4, a shallow dip). The melody is G4.
        assertNewerNoteHeard(ringing: 69, newer: 67, at: 0.2, from: 0.3, to: 1.1)
    }

    func testSilenceAndNoiseAreUnvoiced() {
        let silent = pitchFrames(of: [Float](repeating: 0, count: 16_000))
        XCTAssertTrue(silent.allSatisfy { !$0.voiced && $0.frequency == 0 })
        let noisy = pitchFrames(of: noise(seconds: 1, amplitude: 0.3))
        let voicedFraction = Double(noisy.filter(\.voiced).count) / Double(noisy.count)
        XCTAssertLessThan(voicedFraction, 0.05)
    }

    func testVibratoFollowsTheCentrePitch() {
        // 440 Hz with a 6 Hz vibrato of +-30 cents.
        let rate = 16_000.0
        var phase = 0.0
        let samples: [Float] = (0..<24_000).map { n in
            let t = Double(n) / rate
            let f = 440 * pow(2, 0.3 / 12 * sin(2 * .pi * 6 * t))
            phase += 2 * .pi * f / rate
            return Float(0.3 * sin(phase) + 0.1 * sin(2 * phase))
        }
        let frames = steady(pitchFrames(of: samples), from: 0.1, to: 1.4)
        XCTAssertTrue(frames.allSatisfy { $0.voiced && abs($0.midi - 69) < 0.45 })
    }

    func testOctaveJumpIsFollowedWithinAFewFrames() {
        let samples = sine(frequency: 220, seconds: 0.5) + sine(frequency: 440, seconds: 0.5)
        let frames = pitchFrames(of: samples)
        let before = steady(frames, from: 0.1, to: 0.45)
        let after = steady(frames, from: 0.56, to: 0.95)
        XCTAssertTrue(before.allSatisfy { $0.voiced && abs($0.midi - 57) < 0.2 })
        XCTAssertTrue(after.allSatisfy { $0.voiced && abs($0.midi - 69) < 0.2 })
    }

    func testFramesAreStampedEveryTenMillisecondsFromZero() {
        let frames = pitchFrames(of: sine(frequency: 440, seconds: 0.5))
        XCTAssertEqual(frames.first?.time ?? -1, 0, accuracy: 1e-9)
        for (index, frame) in frames.enumerated() {
            XCTAssertEqual(frame.time, Double(index) * 0.01, accuracy: 1e-9)
        }
        // A tone starting at 0.3 s is voiced from 0.3 s: the window starts at the frame's
        // time and looks 28.5 ms ahead, but the frames before 0.3 s, which hear the tone
        // only in their lookahead, are the silence before it.
        let delayed = pitchFrames(of: [Float](repeating: 0, count: 4_800) + sine(frequency: 440, seconds: 0.5))
        let firstVoiced = delayed.first(where: \.voiced)?.time ?? 99
        XCTAssertEqual(firstVoiced, 0.3, accuracy: 0.005)
    }
}
