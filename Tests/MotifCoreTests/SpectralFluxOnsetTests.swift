import CKissFFT
import Foundation
import MotifCore
import XCTest

/// The SuperFlux onset function on spectra of synthetic frames, as the pitch front end
/// hands them over (unwindowed, 768-point transform whose newest 456 samples are YIN's
/// integration window and the rest zero, one frame per 10 ms hop).
final class SpectralFluxOnsetTests: XCTestCase {
    private let size = 768, hop = 160, rate = 16_000
    private let segment = 310..<766

    /// Flux of every hop of `signal`, and the same through a plain scalar transcription of
    /// the definition (the window applied to the samples before a transform of its own, log
    /// compression, max filter over +-3 bins, lag 2).
    private func flux(of signal: [Float]) -> (fast: [Float], reference: [Float]) {
        let fft = RealFFT(size: size)
        let window = CosineSumWindow(fittedTo: segment, transformSize: size)
        let onset = SpectralFluxOnsetFunction(window: window, lag: 2, sampleRate: rate)
        var frame = [Float](repeating: 0, count: size), windowed = frame
        var spectrum = [kiss_fft_cpx](repeating: kiss_fft_cpx(), count: fft.binCount)
        var windowedSpectrum = spectrum
        var fast: [Float] = [], reference: [Float] = []
        var history: [[Float]] = []
        let bins = size / 2, scale = Float(256 * 256) / (window.sum * window.sum)
        for start in stride(from: 0, through: signal.count - segment.count, by: hop) {
            for i in segment { frame[i] = signal[start + i - segment.lowerBound] }
            fft.forward(frame, &spectrum)
            fast.append(onset.process(spectrum: spectrum))

            for i in segment { windowed[i] = frame[i] * window.weight(at: i) }
            fft.forward(windowed, &windowedSpectrum)
            var logSpectrum = [Float](repeating: 0, count: bins)
            for k in 2..<(bins - 1) {
                let re = windowedSpectrum[k].r, im = windowedSpectrum[k].i
                logSpectrum[k] = 0.5 * log(1 + 10_000 * scale * (re * re + im * im))
            }
            var value: Float = 0
            if history.count >= 2 {
                let earlier = history[history.count - 2]
                for k in 5..<(bins - 4) {
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

    func testTheWindowVanishesAtTheSegmentsEndsAndPeaksInItsMiddle() {
        let window = CosineSumWindow(fittedTo: segment, transformSize: size)
        XCTAssertEqual(window.weight(at: segment.lowerBound), 0, accuracy: 1e-5)
        XCTAssertEqual(window.weight(at: segment.upperBound), 0, accuracy: 1e-5)
        XCTAssertEqual(window.weight(at: (segment.lowerBound + segment.upperBound) / 2), 1, accuracy: 1e-5)
        for n in segment { XCTAssertGreaterThanOrEqual(window.weight(at: n), -1e-5) }
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
