import CKissFFT

/// The cumulative mean normalised difference function of YIN (de Cheveigné & Kawahara 2002),
/// with the cross term computed by FFT:
///
///     d(tau)  = sum_{j<W} (x[j] - x[j+tau])^2 = e(0) + e(tau) - 2 r(tau)
///     d'(tau) = d(tau) * tau / sum_{k=1..tau} d(k),   d'(0) = 1
///
/// where r is the cross-correlation of the first W samples with the frame and e(tau) the
/// energy of x[tau ..< tau+W], kept as a running sum. All buffers are allocated here once.
///
/// x runs backwards in time from the newest sample: the integration window is the newest
/// W samples and the lags reach into the past, so a frame's pitch reflects its latest
/// audio (see `StreamingPitchEstimator` on timing).
public final class YINDifference {
    public let window: Int
    public let maximumLag: Int
    private let fft: RealFFT
    private let padded: UnsafeMutablePointer<Float>
    private let spectrum: UnsafeMutablePointer<kiss_fft_cpx>
    private let windowSpectrum: UnsafeMutablePointer<kiss_fft_cpx>
    private let correlation: UnsafeMutablePointer<Float>
    /// d'(tau) for tau in 0...maximumLag after `compute`.
    public let normalized: UnsafeMutablePointer<Float>

    /// Samples `compute` reads: the window plus the longest lag.
    public var span: Int { window + maximumLag }
    /// Size of the transform (`span` samples, zero-padded).
    public var transformSize: Int { fft.size }
    /// After `compute`: the spectrum (`transformSize / 2 + 1` bins) of the whole frame,
    /// newest sample first and unwindowed; the onset function reuses it.
    public var frameSpectrum: UnsafePointer<kiss_fft_cpx> { UnsafePointer(spectrum) }

    public init(window: Int, maximumLag: Int) {
        self.window = window
        self.maximumLag = maximumLag
        let size = RealFFT.efficientSize(atLeast: window + maximumLag + 1)
        fft = RealFFT(size: size)
        padded = .allocate(capacity: size)
        padded.initialize(repeating: 0, count: size)
        spectrum = .allocate(capacity: fft.binCount)
        windowSpectrum = .allocate(capacity: fft.binCount)
        correlation = .allocate(capacity: size)
        normalized = .allocate(capacity: maximumLag + 1)
        normalized.initialize(repeating: 1, count: maximumLag + 1)
    }

    deinit {
        padded.deallocate()
        spectrum.deallocate()
        windowSpectrum.deallocate()
        correlation.deallocate()
        normalized.deallocate()
    }

    /// `samples`: the newest `span` samples, oldest first.
    public func compute(newest samples: UnsafePointer<Float>) {
        let size = fft.size
        let span = self.span
        let newest = samples + (span - 1)  // x[j] = newest[-j]
        // Spectrum of the whole frame.
        for i in 0..<span { padded[i] = newest[-i] }
        for i in span..<size { padded[i] = 0 }
        fft.forward(padded, spectrum)
        // Spectrum of the integration window alone.
        for i in window..<span { padded[i] = 0 }
        fft.forward(padded, windowSpectrum)
        // conj(W) * X gives the cross-correlation r(tau) = sum_j w[j] x[j + tau].
        for k in 0..<fft.binCount {
            let w = windowSpectrum[k], x = spectrum[k]
            windowSpectrum[k] = kiss_fft_cpx(r: w.r * x.r + w.i * x.i, i: w.r * x.i - w.i * x.r)
        }
        fft.inverse(windowSpectrum, correlation)
        let scale = 1 / Float(size)

        var energy0: Float = 0
        for j in 0..<window { energy0 += newest[-j] * newest[-j] }
        var energyTau = energy0
        var runningSum: Float = 0
        normalized[0] = 1
        for tau in 1...maximumLag {
            // Slide the lagged window one sample: drop x[tau-1], add x[tau+W-1].
            let leaving = newest[-(tau - 1)], entering = newest[-(tau + window - 1)]
            energyTau += entering * entering - leaving * leaving
            let difference = max(0, energy0 + energyTau - 2 * correlation[tau] * scale)
            runningSum += difference
            normalized[tau] = runningSum > 0 ? difference * Float(tau) / runningSum : 1
        }
    }
}
