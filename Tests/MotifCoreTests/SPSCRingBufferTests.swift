import Foundation
import MotifCore
import XCTest

final class SPSCRingBufferTests: XCTestCase {
    func testCapacityRoundsUpToPowerOfTwo() {
        XCTAssertEqual(SPSCRingBuffer(capacity: 1000).capacity, 1024)
        XCTAssertEqual(SPSCRingBuffer(capacity: 1024).capacity, 1024)
    }

    func testOverflowIsCountedAndNeverBlocks() {
        let ring = SPSCRingBuffer(capacity: 8)
        let input: [Float] = (0..<12).map(Float.init)
        let accepted = input.withUnsafeBufferPointer { ring.push($0) }
        XCTAssertEqual(accepted, 8)
        XCTAssertEqual(ring.overflowCount, 4)
        var out = [Float](repeating: -1, count: 16)
        let popped = out.withUnsafeMutableBufferPointer { ring.pop(into: $0) }
        XCTAssertEqual(popped, 8)
        XCTAssertEqual(Array(out[0..<8]), Array(input[0..<8]))
        XCTAssertEqual(out.withUnsafeMutableBufferPointer { ring.pop(into: $0) }, 0)
    }

    func testWrapAroundKeepsOrder() {
        let ring = SPSCRingBuffer(capacity: 16)
        var next: Float = 0
        var expected: Float = 0
        var out = [Float](repeating: 0, count: 16)
        for round in 0..<100 {
            let block = (0..<(round % 13 + 1)).map { _ -> Float in defer { next += 1 }; return next }
            XCTAssertEqual(block.withUnsafeBufferPointer { ring.push($0) }, block.count)
            let count = out.withUnsafeMutableBufferPointer { ring.pop(into: $0) }
            for i in 0..<count {
                XCTAssertEqual(out[i], expected)
                expected += 1
            }
        }
        XCTAssertEqual(ring.overflowCount, 0)
    }

    /// A producer and a consumer thread move millions of samples in mixed block sizes; every
    /// sample must arrive once and in order. Also runs under ThreadSanitizer in CI.
    func testConcurrentProducerConsumerDeliversEverySampleInOrder() {
        let total = ProcessInfo.processInfo.environment["RING_STRESS_SAMPLES"].flatMap(Int.init) ?? 4_000_000
        let ring = SPSCRingBuffer(capacity: 4096)
        let producerDone = expectation(description: "producer")
        let producer = Thread {
            var value = 0
            var block = [Float](repeating: 0, count: 700)
            var size = 1
            while value < total {
                size = size % 677 + 13  // 14...689, varying
                let count = min(size, total - value)
                for i in 0..<count { block[i] = Float(bitPattern: UInt32(truncatingIfNeeded: value + i)) }
                var offset = 0
                while offset < count {
                    let pushed = block.withUnsafeBufferPointer { ring.push(UnsafeBufferPointer(rebasing: $0[offset..<count])) }
                    offset += pushed
                    if pushed == 0 { sched_yield() }
                }
                value += count
            }
            producerDone.fulfill()
        }
        producer.start()
        var received = 0
        var mismatches = 0
        var out = [Float](repeating: 0, count: 512)
        var size = 1
        while received < total {
            size = size % 509 + 3
            let count = out.withUnsafeMutableBufferPointer { ring.pop(into: UnsafeMutableBufferPointer(rebasing: $0[0..<size])) }
            for i in 0..<count where out[i].bitPattern != UInt32(truncatingIfNeeded: received + i) { mismatches += 1 }
            received += count
            if count == 0 { sched_yield() }
        }
        wait(for: [producerDone], timeout: 60)
        XCTAssertEqual(mismatches, 0)
        XCTAssertEqual(received, total)
        XCTAssertEqual(ring.readableCount, 0)
    }
}
