import CKissFFT

/// The cumulative mean normalised difference function of YIN (de Cheveigné & Kawahara 2002),
/// with the cross term computed by FFT:
///
///     d(tau)  = sum_{i in window} (y[i] - y[i-tau])^2 = e(0) + e(tau) - 2 r(tau)
///     d'(tau) = d(tau) * tau / sum_{k=1..tau} d(k),   d'(0) = 1
///
/// where r is the cross-correlation of the window (the newest W samples) with the frame
/// and e(tau) the energy of the window moved tau samples into the past, kept as a running
/// sum. All buffers are allocated here once.
///
/// The integration window is the frame's newest W samples and the lags reach into the
/// past, so a frame's pitch reflects its latest audio (see `StreamingPitchEstimator` on
/// timing).
public final class YINDifference {
    public let window: Int
    public let maximumLag: Int
    private let fft: RealFFT
    /// The frame and the integration window transformed together (`PairedRealFFT`).
    private let pair: PairedRealFFT
    private let spectrum: UnsafeMutablePointer<kiss_fft_cpx>
    private let windowSpectrumStorage: UnsafeMutablePointer<kiss_fft_cpx>
    private let crossSpectrum: UnsafeMutablePointer<kiss_fft_cpx>
    private let correlation: UnsafeMutablePointer<Float>
    /// d'(tau) for tau in 0...maximumLag after `compute`.
    public let normalized: UnsafeMutablePointer<Float>

    /// Samples `compute` reads: the window plus the longest lag.
    public var span: Int { window + maximumLag }
    /// Size of the transform: `span` samples, zero-padded.
    public var transformSize: Int { fft.size }
    /// After `compute`: the spectrum (`transformSize / 2 + 1` bins) of the whole frame,
    /// unwindowed; the melody salience reads it.
    public var frameSpectrum: UnsafePointer<kiss_fft_cpx> { UnsafePointer(spectrum) }
    /// After `compute`: the spectrum of the integration window alone (the frame's newest
    /// `window` samples, the rest zero); the onset function reads it.
    public var windowSpectrum: UnsafePointer<kiss_fft_cpx> { UnsafePointer(windowSpectrumStorage) }

    public init(window: Int, maximumLag: Int) {
        self.window = window
        self.maximumLag = maximumLag
        let size = RealFFT.efficientSize(atLeast: window + maximumLag + 1)
        fft = RealFFT(size: size)
        pair = PairedRealFFT(size: size)
        spectrum = .allocate(capacity: fft.binCount)
        windowSpectrumStorage = .allocate(capacity: fft.binCount)
        crossSpectrum = .allocate(capacity: fft.binCount)
        correlation = .allocate(capacity: size)
        normalized = .allocate(capacity: maximumLag + 1)
        normalized.initialize(repeating: 1, count: maximumLag + 1)
    }

    deinit {
        spectrum.deallocate()
        windowSpectrumStorage.deallocate()
        crossSpectrum.deallocate()
        correlation.deallocate()
        normalized.deallocate()
    }

    /// `samples`: the newest `span` samples, oldest first.
    public func compute(newest samples: UnsafePointer<Float>) {
        let size = fft.size
        let span = self.span
        // y: the frame oldest first; the integration window is its newest W samples, and
        // lag tau compares y[i] with y[i - tau]: r(tau) = sum_{i >= span - W} y[i] y[i - tau].
        let y = samples
        let windowStart = span - window
        // Spectra of the whole frame and of the integration window alone (the frame with
        // its older samples zeroed), in one transform; the padding stays zero.
        let input = pair.input
        for i in 0..<windowStart { input[i] = kiss_fft_cpx(r: y[i], i: 0) }
        for i in windowStart..<span { input[i] = kiss_fft_cpx(r: y[i], i: y[i]) }
        pair.forward(first: spectrum, second: windowSpectrumStorage)
        // A * conj(Y) gives the cross-correlation sum_i a[i] y[i - tau]: r(tau) at index tau.
        for k in 0..<fft.binCount {
            let a = windowSpectrumStorage[k], x = spectrum[k]
            crossSpectrum[k] = kiss_fft_cpx(r: a.r * x.r + a.i * x.i, i: a.i * x.r - a.r * x.i)
        }
        fft.inverse(crossSpectrum, correlation)
        let scale = 1 / Float(size)

        let energy0 = sumOfSquares(y + windowStart, count: window)
        var energyTau = energy0
        var runningSum: Float = 0
        normalized[0] = 1
        // First the sequential part: d(tau), and its running sum in place of r(tau), which
        // is read just before.
        for tau in 1...maximumLag {
            // Slide the lagged window one sample into the past.
            let leaving = y[span - tau], entering = y[windowStart - tau]
            energyTau += entering * entering - leaving * leaving
            let difference = max(0, energy0 + energyTau - 2 * correlation[tau] * scale)
            runningSum += difference
            normalized[tau] = difference
            correlation[tau] = runningSum
        }
        // Then the divisions, eight at a time: d'(tau) = d(tau) tau / sum_{k<=tau} d(k).
        var tau = 1
        var taus = SIMD8<Float>(1, 2, 3, 4, 5, 6, 7, 8)
        while tau + 8 <= maximumLag + 1 {
            let difference = UnsafeRawPointer(normalized + tau).loadUnaligned(as: SIMD8<Float>.self)
            let sum = UnsafeRawPointer(correlation + tau).loadUnaligned(as: SIMD8<Float>.self)
            let value = (difference * taus / sum).replacing(with: 1, where: sum .<= 0)
            UnsafeMutableRawPointer(normalized + tau).storeBytes(of: value, as: SIMD8<Float>.self)
            tau += 8
            taus += 8
        }
        while tau <= maximumLag {
            let sum = correlation[tau]
            normalized[tau] = sum > 0 ? normalized[tau] * Float(tau) / sum : 1
            tau += 1
        }
    }
}
