import Foundation
import MotifAudio
import XCTest

final class StreamingResamplerTests: XCTestCase {
    /// Resamples a click train in odd-sized blocks and checks the rate and that the output
    /// is aligned with the input (libsoxr removes its own filter delay).
    func testBlockwiseResamplingKeepsLengthAndTiming() throws {
        for inputRate in [8_000.0, 22_050, 44_100, 48_000, 384_000] {
            let resampler = try StreamingResampler(inputRate: inputRate, outputRate: 16_000, maxInputBlock: 1000)
            var input = [Float](repeating: 0, count: Int(inputRate))  // one second
            let clickAt = Int(inputRate * 0.5)
            for i in 0..<8 { input[clickAt + i] = 0.9 }
            var output: [Float] = []
            var offset = 0
            var size = 7
            while offset < input.count {
                size = size % 997 + 3
                let count = min(size, input.count - offset)
                input.withUnsafeBufferPointer { buffer in
                    resampler.process(UnsafeBufferPointer(rebasing: buffer[offset..<offset + count])) { output += $0 }
                }
                offset += count
            }
            resampler.finish { output += $0 }
            XCTAssertEqual(Double(output.count), 16_000, accuracy: 2, "from \(inputRate)")
            let peak = output.indices.max { abs(output[$0]) < abs(output[$1]) }!
            XCTAssertEqual(Double(peak) / 16_000, 0.5, accuracy: 0.002, "click time from \(inputRate)")
        }
    }

    func testEqualRatesPassThrough() throws {
        let resampler = try StreamingResampler(inputRate: 16_000, outputRate: 16_000, maxInputBlock: 256)
        XCTAssertTrue(resampler.isPassThrough)
        let input: [Float] = (0..<100).map(Float.init)
        var output: [Float] = []
        input.withUnsafeBufferPointer { resampler.process($0) { output += $0 } }
        XCTAssertEqual(output, input)
    }
}
