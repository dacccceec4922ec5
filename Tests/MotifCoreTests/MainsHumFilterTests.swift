import Foundation
import MotifCore
import XCTest

final class MainsHumFilterTests: XCTestCase {
    /// Mains hum at `mains` Hz: harmonics 1 to 5 at falling levels, starting at `amplitude`.
    private func hum(_ mains: Double, seconds: Double, amplitude: Float, rate: Int = 16_000) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { n in
            let t = Double(n) / Double(rate)
            return (1...5).reduce(Float(0)) { $0 + amplitude / Float($1) * Float(sin(2 * .pi * mains * Double($1) * t + Double($1))) }
        }
    }

    /// A line of notes (a second each, a whole tone apart and back), as a tune would be.
    private func tune(seconds: Int, amplitude: Float = 0.2) -> [Float] {
        (0..<seconds).flatMap { k in sine(frequency: 440 * pow(2, Double([0, 2, 4, 2, 0, 5][k % 6]) / 12), seconds: 1, amplitude: amplitude) }
    }

    private func run(_ filter: MainsHumFilter, _ samples: [Float]) -> [Float] {
        var output = [Float](repeating: 0, count: samples.count)
        samples.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                var offset = 0
                while offset < samples.count {  // in blocks, as the pipeline does
                    let count = min(1_000, samples.count - offset)
                    filter.measure(input.baseAddress! + offset, count: count)
                    filter.filter(input.baseAddress! + offset, into: out.baseAddress! + offset, count: count)
                    offset += count
                }
            }
        }
        return output
    }

    private func rms(_ x: ArraySlice<Float>) -> Float { sqrt(x.reduce(0) { $0 + $1 * $1 } / Float(x.count)) }

    func testHumUnderATuneIsFoundAndTakenOutWhileTheTuneStays() {
        let filter = MainsHumFilter(sampleRate: 16_000)
        _ = run(filter, zip(tune(seconds: 5), hum(50, seconds: 5, amplitude: 0.05)).map(+))
        XCTAssertEqual(filter.humFrequency, 50, "found within the three seconds it must last")
        // Through the filter now: the hum 30 dB down or more...
        let noise = hum(50, seconds: 2, amplitude: 0.05)
        let filtered = run(filter, noise)
        XCTAssertLessThan(20 * log10(rms(filtered[16_000...]) / rms(noise[16_000...])), -30)
        // ...and a tune at its level (the notches are a couple of hertz wide).
        let music = tune(seconds: 3)
        let passed = run(filter, music)
        XCTAssertEqual(filter.humFrequency, 50, "still on: a pause in the hum is not its end")
        XCTAssertEqual(20 * log10(rms(passed[16_000...]) / rms(music[16_000...])), 0, accuracy: 0.3)
    }

    func testSixtyHertzHumIsToldFromFifty() {
        let filter = MainsHumFilter(sampleRate: 16_000)
        let output = run(filter, hum(60, seconds: 5, amplitude: 0.02))
        XCTAssertEqual(filter.humFrequency, 60)
        XCTAssertLessThan(20 * log10(rms(output[64_000...]) / 0.02), -30)
    }

    func testMusicAloneNeverEngagesTheFilterAndPassesUntouched() {
        let filter = MainsHumFilter(sampleRate: 16_000)
        // Notes near the mains multiples too: G2 (98 Hz), B2 (123.5 Hz), D3 (146.8 Hz).
        let low = [98.0, 123.47, 146.83, 98.0, 196.0, 246.94].flatMap { sine(frequency: $0, seconds: 2, amplitude: 0.2) }
        let music = tune(seconds: 12) + low
        let output = run(filter, music)
        XCTAssertNil(filter.humFrequency)
        XCTAssertEqual(output, music)
    }

    func testTheFilterLetsGoOnceTheHumHasStopped() {
        let filter = MainsHumFilter(sampleRate: 16_000)
        _ = run(filter, hum(50, seconds: 4, amplitude: 0.05))
        XCTAssertEqual(filter.humFrequency, 50)
        _ = run(filter, tune(seconds: 9))
        XCTAssertEqual(filter.humFrequency, 50, "not yet: a pause in the hum is not its end")
        _ = run(filter, tune(seconds: 2))
        XCTAssertNil(filter.humFrequency)
        filter.reset()
        XCTAssertNil(filter.humFrequency)
    }
}
