import MotifCore
import XCTest

final class SilenceGateTests: XCTestCase {
    /// Feeds `seconds` of hops at `level` dBFS (100 hops a second) and returns the threshold.
    private func feed(_ gate: SilenceGate, level: Float, seconds: Double) -> Float {
        for _ in 0..<Int(seconds * 100) { gate.observe(hopLevel: level) }
        return gate.threshold
    }

    func testANormallyLevelledInputKeepsTheCeiling() {
        let gate = SilenceGate(framesPerSecond: 100)
        XCTAssertEqual(gate.threshold, -60, "nothing heard yet")
        XCTAssertEqual(feed(gate, level: -12, seconds: 3), -60)
        // Its quiet passages and rests stay measured against the loud music around them.
        XCTAssertEqual(feed(gate, level: -45, seconds: 2), -60)
    }

    func testAQuietInputLowersTheThresholdAtOnce() {
        let gate = SilenceGate(framesPerSecond: 100)
        gate.observe(hopLevel: -52)
        XCTAssertEqual(gate.threshold, -87, accuracy: 1e-4)
        XCTAssertEqual(feed(gate, level: -90, seconds: 1), -87, accuracy: 1e-4, "a rest does not forget the music")
    }

    func testTheThresholdFollowsALouderInputDownToAQuieterOneWithinItsMemory() {
        let gate = SilenceGate(framesPerSecond: 100)
        _ = feed(gate, level: -10, seconds: 2)
        XCTAssertEqual(feed(gate, level: -50, seconds: 4), -60, "the loud passage is still remembered")
        XCTAssertEqual(feed(gate, level: -50, seconds: 1.5), -85, accuracy: 1e-4, "five seconds on, it is not")
    }

    func testDigitalSilenceAndTheFloor() {
        let gate = SilenceGate(framesPerSecond: 100)
        XCTAssertEqual(feed(gate, level: -120, seconds: 6), -60, "nothing but digital silence: the ceiling")
        XCTAssertEqual(feed(gate, level: -75, seconds: 1), -100, "never under the floor")
        gate.reset()
        XCTAssertEqual(gate.threshold, -60)
    }
}
