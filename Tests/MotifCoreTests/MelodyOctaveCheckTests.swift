import MotifCore
import XCTest

final class MelodyOctaveCheckTests: XCTestCase {
    private func frame(_ time: Double, yin: Float, salient: Float, octaveAbove: Float) -> PitchFrame {
        var frame = PitchFrame(time: time, voiced: true, frequency: 440 * pow(2, (yin - 69) / 12), midi: yin,
                               confidence: 0.9, levelDB: -20, windowLevelDB: -20)
        frame.salientMidi = salient
        frame.salientOctaveAboveShare = octaveAbove
        return frame
    }

    /// Feeds `frames`, observing each, and returns the melody pitches.
    private func melody(_ frames: [PitchFrame], check: inout MelodyOctaveCheck) -> [Float] {
        frames.map { frame in
            check.observe(frame)
            return check.melodyPitch(of: frame)
        }
    }

    func testAChordToneAnOctaveUnderTheMelodyIsTakenForTheMelody() {
        var check = MelodyOctaveCheck()
        // A flute's Bb4 over a bass line: the salience hears the flute, YIN the bass.
        let before = (0..<40).map { frame(Double($0) * 0.01, yin: 41, salient: 70, octaveAbove: 0.2) }
        XCTAssertEqual(melody(before, check: &check).last, 70)
        // The next melody note, A4, doubled an octave down by the chord: the salience peaks
        // at A3 with A4 nearly as strong.
        let doubled = (40..<50).map { frame(Double($0) * 0.01, yin: 41, salient: 57, octaveAbove: 0.9) }
        XCTAssertEqual(melody(doubled, check: &check), Array(repeating: 69, count: 10))
        // A real leap down to a chord tone with little above it stays where it is.
        let leap = frame(0.5, yin: 41, salient: 57, octaveAbove: 0.3)
        XCTAssertEqual(check.melodyPitch(of: leap), 57)
    }

    func testAnOrganWithOctaveRanksIsLeftAlone() {
        var check = MelodyOctaveCheck()
        // Solo: YIN and the salience differ by octaves only (the organ's 4' rank), never by
        // other intervals, so the drop to the next note is believed.
        let high = (0..<40).map { frame(Double($0) * 0.01, yin: 64, salient: 76, octaveAbove: 0.8) }
        _ = melody(high, check: &check)
        let next = (40..<50).map { frame(Double($0) * 0.01, yin: 62, salient: 62, octaveAbove: 0.8) }
        XCTAssertEqual(melody(next, check: &check), Array(repeating: 62, count: 10))
    }
}
