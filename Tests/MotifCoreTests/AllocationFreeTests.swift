import CAllocationCounter
import MotifCore
import XCTest

/// The per-frame DSP runs with no heap allocation once it is running: checked with an
/// allocation counter that interposes malloc and friends in this test process.
final class AllocationFreeTests: XCTestCase {
    override func setUpWithError() throws {
        if allocation_counter_available() == 0 { throw XCTSkip("sanitizer build: its runtime owns malloc") }
    }

    func testCounterSeesAllocations() {
        allocation_counter_start()
        let array = [Int](repeating: 1, count: 1_000)
        let counted = allocation_counter_stop()
        XCTAssertEqual(array.count, 1_000)
        XCTAssertGreaterThanOrEqual(counted, 1, "the counter must see a Swift array's allocation")
    }

    func testPitchAndNotesAllocateNothingPerFrame() {
        let rate = 16_000.0
        // A melody with repeated notes, rests and vibrato: every code path of the front end.
        var samples: [Float] = []
        for (index, pitch) in [60.0, 60, 67, 64, 64, 72, 55].enumerated() {
            let frequency = 440 * pow(2, (pitch - 69) / 12)
            for n in 0..<Int(0.3 * rate) {
                let t = Double(n) / rate
                let f = frequency * pow(2, 0.2 / 12 * sin(2 * .pi * 5 * t))
                samples.append(Float(0.3 * sin(2 * .pi * f * t) * min(1, t / 0.02) * (n < Int(0.27 * rate) ? 1 : 0)))
            }
            if index % 3 == 2 { samples += [Float](repeating: 0, count: 2_000) }
        }
        let estimator = StreamingPitchEstimator()
        estimator.salienceEveryFrame = true  // the melody reading's salience too
        var segmenter = NoteSegmenter(hopSeconds: 0.01)
        var frames = 0
        var notes = 0
        samples.withUnsafeBufferPointer { buffer in
            // Warm up: the first blocks may size internal storage.
            let warmUp = 4_096
            estimator.process(UnsafeBufferPointer(rebasing: buffer[0..<warmUp])) { frame in
                segmenter.process(frame, onOnset: { _ in }, onNote: { _ in })
            }
            allocation_counter_start()
            var offset = warmUp
            while offset < buffer.count {
                let count = min(256, buffer.count - offset)
                estimator.process(UnsafeBufferPointer(rebasing: buffer[offset..<offset + count])) { frame in
                    frames += 1
                    segmenter.process(frame, onOnset: { _ in }, onNote: { _ in notes += 1 })
                }
                offset += count
            }
            let allocations = allocation_counter_stop()
            XCTAssertEqual(allocations, 0, "\(allocations) allocations over \(frames) frames")
        }
        XCTAssertGreaterThan(frames, 150)
        XCTAssertGreaterThanOrEqual(notes, 5)
    }

    func testTheHumFilterAllocatesNothingFindingOrFilteringHum() {
        let hum = (0..<96_000).map { Float(0.05 * sin(2 * Double.pi * 60 * Double($0) / 16_000)) + Float(0.02 * sin(2 * Double.pi * 180 * Double($0) / 16_000)) }
        var output = [Float](repeating: 0, count: 256)
        // The first filter warms up the runtime (type metadata is made on first use); the
        // second is counted from its start, through finding the hum and filtering it.
        for counted in [false, true] {
            let filter = MainsHumFilter(sampleRate: 16_000)
            hum.withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { out in
                    allocation_counter_start()
                    var offset = 0
                    while offset + 256 <= input.count {
                        filter.measure(input.baseAddress! + offset, count: 256)
                        filter.filter(input.baseAddress! + offset, into: out.baseAddress!, count: 256)
                        offset += 256
                    }
                    let allocations = allocation_counter_stop()
                    if counted { XCTAssertEqual(allocations, 0) }
                }
            }
            XCTAssertEqual(filter.humFrequency, 60, "found, and filtered for the last seconds")
        }
    }

    func testRingBufferPushAndPopAllocateNothing() {
        let ring = SPSCRingBuffer(capacity: 4_096)
        let block = [Float](repeating: 0.5, count: 256)
        var out = [Float](repeating: 0, count: 256)
        allocation_counter_start()
        for _ in 0..<1_000 {
            block.withUnsafeBufferPointer { _ = ring.push($0) }
            _ = out.withUnsafeMutableBufferPointer { ring.pop(into: $0) }
        }
        XCTAssertEqual(allocation_counter_stop(), 0)
    }
}
