import CKissFFT
import Foundation
import MotifCore
import XCTest

/// The SuperFlux onset function on spectra of synthetic frames, as the pitch front end
/// hands them over (unwindowed, 768-point transform, one frame per 10 ms hop).
final class SpectralFluxOnsetTests: XCTestCase {
    private let size = 768, hop = 160, rate = 16_000

    /// Flux of every hop of `signal`, and the same through a plain scalar transcription of
    /// the definition (Hann window, log compression, max filter over +-3 bins, lag 2).
    private func flux(of signal: [Float]) -> (fast: [Float], reference: [Float]) {
        let fft = RealFFT(size: size)
        let onset = SpectralFluxOnsetFunction(transformSize: size, lag: 2, sampleRate: rate)
        var frame = [Float](repeating: 0, count: size)
        var spectrum = [kiss_fft_cpx](repeating: kiss_fft_cpx(), count: fft.binCount)
        var fast: [Float] = [], reference: [Float] = []
        var history: [[Float]] = []
        let bins = size / 2, scale = Float(256 * 256) / Float(bins * bins)
        for start in stride(from: 0, through: signal.count - size, by: hop) {
            for i in 0..<size { frame[i] = signal[start + i] }
            fft.forward(frame, &spectrum)
            fast.append(onset.process(spectrum: spectrum))

            var logSpectrum = [Float](repeating: 0, count: bins)
            for k in 1..<(bins - 1) {
                let re = 0.5 * spectrum[k].r - 0.25 * (spectrum[k - 1].r + spectrum[k + 1].r)
                let im = 0.5 * spectrum[k].i - 0.25 * (spectrum[k - 1].i + spectrum[k + 1].i)
                logSpectrum[k] = 0.5 * log(1 + 10_000 * scale * (re * re + im * im))
            }
            var value: Float = 0
            if history.count >= 2 {
                let earlier = history[history.count - 2]
                for k in 4..<(bins - 4) {
                    let maximum = earlier[(k - 3)...(k + 3)].max()!
                    value += max(0, logSpectrum[k] - maximum)
                }
            }
            reference.append(value / Float(bins))
            history.append(logSpectrum)
        }
        return (fast, reference)
    }

    private func tone(_ frequency: Double, seconds: Double, vibratoCents: Double = 0) -> [Float] {
        var phase = 0.0
        return (0..<Int(seconds * Double(rate))).map { n in
            let t = Double(n) / Double(rate)
            let f = frequency * pow(2, vibratoCents * sin(2 * .pi * 5.5 * t) / 1200)
            phase += 2 * .pi * f / Double(rate)
            return Float(0.2 * sin(phase) + 0.1 * sin(2 * phase) + 0.05 * sin(3 * phase))
        }
    }

    func testMatchesTheDefinition() {
        let signal = [Float](repeating: 0, count: 4_000) + tone(330, seconds: 0.5) + tone(392, seconds: 0.5)
            + noise(seconds: 0.3, amplitude: 0.05)
        let (fast, reference) = flux(of: signal)
        for (index, (a, b)) in zip(fast, reference).enumerated() {
            XCTAssertEqual(a, b, accuracy: 2e-3 + 0.01 * b, "hop \(index)")
        }
    }

    func testAttacksStandOutOfSteadyAndVibratoTones() {
        let silence = [Float](repeating: 0, count: 4_000)
        let (steady, _) = flux(of: silence + tone(440, seconds: 1))
        let (vibrato, _) = flux(of: tone(440, seconds: 1, vibratoCents: 40))
        let attackHop = 4_000 / hop
        let attack = steady[(attackHop - 4)...(attackHop + 2)].max()!
        let steadyTail = steady[(attackHop + 8)...].max()!
        let vibratoTail = vibrato[8...].max()!
        XCTAssertGreaterThan(attack, 0.1)
        XCTAssertLessThan(steadyTail, attack / 20, "a held tone adds nothing")
        XCTAssertLessThan(vibratoTail, attack / 5, "vibrato finds its match in the max filter")
    }
}
