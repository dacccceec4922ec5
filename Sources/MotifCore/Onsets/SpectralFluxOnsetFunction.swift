import CKissFFT
import Foundation

/// SuperFlux onset strength (Böck & Widmer 2013): positive log-magnitude spectral flux
/// against the frame `lag` hops earlier, after a maximum filter across frequency on that
/// earlier frame. The maximum filter makes a partial that merely wobbles (vibrato) or a
/// slow swell find its match and add nothing, while a new attack or a re-bowed note adds
/// energy that was not there: exactly the cue that splits repeated notes.
///
/// Works on a Hann-windowed `windowLength`-sample frame, one per hop; all buffers are
/// allocated once.
public final class SpectralFluxOnsetFunction {
    public let windowLength: Int
    public let lag: Int
    private let fft: RealFFT
    private let window: UnsafeMutablePointer<Float>
    private let windowed: UnsafeMutablePointer<Float>
    private let spectrum: UnsafeMutablePointer<kiss_fft_cpx>
    /// Ring of the last `lag + 1` max-filtered log spectra.
    private let history: UnsafeMutablePointer<Float>
    private let bins: Int
    private let firstBin: Int
    private var frameCount = 0

    public init(windowLength: Int = 512, lag: Int = 2, sampleRate: Int = 16_000) {
        self.windowLength = windowLength
        self.lag = lag
        fft = RealFFT(size: windowLength)
        bins = windowLength / 2
        firstBin = max(2, Int(30 * Double(windowLength) / Double(sampleRate)))  // ignore rumble under 30 Hz
        window = .allocate(capacity: windowLength)
        for i in 0..<windowLength { window[i] = Float(0.5 - 0.5 * cos(2 * .pi * Double(i) / Double(windowLength))) }
        windowed = .allocate(capacity: windowLength)
        spectrum = .allocate(capacity: fft.binCount)
        history = .allocate(capacity: (lag + 1) * bins)
        history.initialize(repeating: 0, count: (lag + 1) * bins)
    }

    deinit {
        window.deallocate()
        windowed.deallocate()
        spectrum.deallocate()
        history.deallocate()
    }

    public func reset() {
        history.update(repeating: 0, count: (lag + 1) * bins)
        frameCount = 0
    }

    /// A frame known to be silent: no transform, the history records silence.
    public func processSilence() -> Float {
        let current = history + (frameCount % (lag + 1)) * bins
        current.update(repeating: 0, count: bins)
        frameCount += 1
        return 0
    }

    /// `samples`: the newest `windowLength` samples, centred on the frame's time.
    public func process(_ samples: UnsafePointer<Float>) -> Float {
        for i in 0..<windowLength { windowed[i] = samples[i] * window[i] }
        fft.forward(windowed, spectrum)
        let current = history + (frameCount % (lag + 1)) * bins
        let earlier = history + ((frameCount + 1) % (lag + 1)) * bins  // `lag` frames ago
        var flux: Float = 0
        // Compare first, against the max-filtered earlier frame, then store this frame.
        for k in firstBin..<(bins - 2) {
            // log(1 + 10^4 |X|^2) ~ 2 log(1 + 100 |X|): the same compression, no square root.
            let power = spectrum[k].r * spectrum[k].r + spectrum[k].i * spectrum[k].i
            let logMagnitude = 0.5 * fastLog(1 + 10_000 * power)
            let reference = max(max(earlier[k - 2], earlier[k - 1]), max(earlier[k], max(earlier[k + 1], earlier[k + 2])))
            flux += max(0, logMagnitude - reference)
            current[k] = logMagnitude
        }
        frameCount += 1
        return frameCount > lag ? flux / Float(bins) : 0
    }
}

/// Natural logarithm to about 1.5e-4 absolute error (exponent bits plus a quartic on the
/// mantissa): the flux needs a compressive curve, not libm's last digit, 256 times a frame.
@inline(__always)
func fastLog(_ x: Float) -> Float {
    let bits = x.bitPattern
    let exponent = Float(Int32(bitPattern: (bits >> 23) & 0xFF) - 127)
    let mantissa = Float(bitPattern: (bits & 0x007F_FFFF) | 0x3F80_0000)  // in [1, 2)
    // log2(m) on [1, 2): least-squares quartic, error under 2.1e-4.
    let m = mantissa
    let log2Mantissa = -2.4968461 + (4.0285479 + (-2.0812142 + (0.62887362 - 0.07915816 * m) * m) * m) * m
    return (exponent + log2Mantissa) * 0.6931472
}
