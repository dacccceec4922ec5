import Foundation
import MotifCore
import XCTest

final class ReleaseDetectorTests: XCTestCase {
    /// Runs levels (dB, one per frame) at a fixed pitch; returns the released flags.
    private func run(_ levels: [Float], pitch: (Int) -> Float? = { _ in 69 }) -> [Bool] {
        var detector = ReleaseDetector()
        return levels.indices.map { detector.process(level: levels[$0], pitch: pitch($0)) }
    }

    func testAReleaseIsFoundWithinAFewFramesOfItsStart() {
        // A held note at -20 dB, then a release falling 2.5 dB a frame.
        let levels = [Float](repeating: -20, count: 50) + (1...20).map { -20 - 2.5 * Float($0) }
        let released = run(levels)
        XCTAssertFalse(released[..<50].contains(true))
        let first = released.firstIndex(of: true) ?? 99
        XCTAssertLessThanOrEqual(first, 50 + 4)
        XCTAssertTrue(released[first...].allSatisfy { $0 }, "the tail stays unvoiced")
    }

    func testAnUnevenReleaseIsFoundOnceItIsDeep() {
        // A release falling 3 dB, then 0.5 dB, frame after frame (beating over the fall):
        // never four steady steps of a decibel, but 12 dB down within eight frames.
        var levels = [Float](repeating: -20, count: 50)
        for frame in 0..<20 { levels.append(levels.last! - (frame % 2 == 0 ? 3 : 0.5)) }
        let released = run(levels)
        XCTAssertFalse(released[..<50].contains(true))
        let first = released.firstIndex(of: true) ?? 99
        XCTAssertLessThanOrEqual(first, 50 + 8)
        XCTAssertTrue(released[first...].allSatisfy { $0 }, "the tail stays unvoiced")
        var steps = ReleaseDetector.Settings()
        steps.deepFall = 0
        var stepsOnly = ReleaseDetector(settings: steps)
        XCTAssertFalse(levels.contains { stepsOnly.process(level: $0, pitch: 69) }, "the steady-fall rule alone misses it")
    }

    func testADeepDipInOneHopIsNoReleaseWhileTheWindowHolds() {
        // A low note's beats: every fifth hop 14 dB down for one frame, the window steady.
        let hops = (0..<100).map { $0 % 5 == 4 ? Float(-34) : -20 }
        var detector = ReleaseDetector()
        XCTAssertFalse(hops.contains { detector.process(level: $0, windowLevel: -20, pitch: 45) })
        XCTAssertTrue(run(hops).contains(true), "read on the hop alone, the dip looks like a deep fall")
    }

    func testVibratoBowChangesAndNaturalDecayAreNotReleases() {
        let tremolo = (0..<300).map { -20 + 4 * Float(sin(2 * Double.pi * 6 * Double($0) / 100)) }
        XCTAssertFalse(run(tremolo).contains(true), "a 6 Hz tremolo of +-4 dB")
        let vibrato = (0..<300).map { -20 + 3 * Float(sin(2 * Double.pi * 5.5 * Double($0) / 100)) }
        XCTAssertFalse(run(vibrato).contains(true), "a 5.5 Hz swell of +-3 dB")
        let piano = (0..<300).map { -12 - 0.25 * Float($0) }
        XCTAssertFalse(run(piano).contains(true), "a piano note dying away by 25 dB a second")
        let bowChange = [Float](repeating: -20, count: 30) + [-22, -24, -25, -24, -22, -20] + [Float](repeating: -20, count: 30)
        XCTAssertFalse(run(bowChange).contains(true), "a brief dip")
    }

    func testANewAttackOrANewPitchEndsTheTail() {
        let fall = [Float](repeating: -20, count: 30) + (1...8).map { -20 - 3 * Float($0) }
        // The same pitch played again: the level rises.
        let again = run(fall + [-43, -38, -30, -22, -20])
        XCTAssertTrue(again[37])
        XCTAssertFalse(again[40], "re-attacked")
        // Legato to another pitch while the level still sinks.
        let moved = run(fall + [-45, -46], pitch: { $0 < 38 ? 69 : 71 })
        XCTAssertTrue(moved[37])
        XCTAssertFalse(moved[38], "a new note")
    }

    func testATailThatStopsFallingIsANoteSounding() {
        // A release falling 2 dB a frame for eight frames, then the next note of the same
        // pitch, bowed slowly in under it: the level holds at -36 dB, with no rise.
        let fall = [Float](repeating: -20, count: 30) + (1...8).map { -20 - 2 * Float($0) }
        let held = run(fall + [-36.3, -36.6, -36.4, -36.8, -36.5, -36.9, -36.7, -36.6, -36.8, -36.7])
        XCTAssertTrue(held[37], "the release")
        let end = held[38...].firstIndex(of: false) ?? 99
        XCTAssertLessThanOrEqual(end, 38 + 4, "voiced again once the level has held for four frames")
        XCTAssertFalse(held[end...].contains(true))
        // A tail that goes on falling, however slowly at times, stays a tail.
        let slowing = run(fall + [-37, -38, -38.5, -39.5, -40.5, -41, -42, -43, -43.5, -44.5])
        XCTAssertTrue(slowing[37...].allSatisfy { $0 })
    }

    func testTheTrackerCallsAReleaseTailUnvoiced() {
        // A tone held 0.5 s, then released with a 40 ms time constant, against one that
        // keeps sounding: the first is unvoiced within 20 ms of its release, the other not.
        let rate = 16_000.0
        let held = sine(frequency: 330, seconds: 0.8)
        let releasedTone = held.indices.map { n -> Float in
            let t = Double(n) / rate
            return held[n] * Float(t < 0.5 ? 1 : exp(-(t - 0.5) / 0.04))
        }
        let heldFrames = pitchFrames(of: held), releasedFrames = pitchFrames(of: releasedTone)
        XCTAssertTrue(heldFrames[10..<70].allSatisfy(\.voiced))
        XCTAssertTrue(releasedFrames[10..<48].allSatisfy(\.voiced))
        // Read on the newest hop, the fall shows from the frame whose lookahead reaches the
        // release: four frames of it make a release 20 ms in (on the whole window, 30 ms).
        XCTAssertFalse(releasedFrames[52..<70].contains(where: \.voiced), "the tail")
    }
}
