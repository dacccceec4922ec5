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

    /// `samples`: the newest `windowLength` samples, centred on the frame's time.
    public func process(_ samples: UnsafePointer<Float>) -> Float {
        for i in 0..<windowLength { windowed[i] = samples[i] * window[i] }
        fft.forward(windowed, spectrum)
        let current = history + (frameCount % (lag + 1)) * bins
        let earlier = history + ((frameCount + 1) % (lag + 1)) * bins  // `lag` frames ago
        var flux: Float = 0
        // Compare first, against the max-filtered earlier frame, then store this frame.
        for k in firstBin..<(bins - 2) {
            let magnitude = (spectrum[k].r * spectrum[k].r + spectrum[k].i * spectrum[k].i).squareRoot()
            let logMagnitude = log1p(100 * magnitude)
            let reference = max(max(earlier[k - 2], earlier[k - 1]), max(earlier[k], max(earlier[k + 1], earlier[k + 2])))
            flux += max(0, logMagnitude - reference)
            current[k] = logMagnitude
        }
        frameCount += 1
        return frameCount > lag ? flux / Float(bins) : 0
    }
}
