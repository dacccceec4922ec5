import CKissFFT
import Foundation

/// SuperFlux onset strength (Böck & Widmer 2013): positive log-magnitude spectral flux
/// against the frame `lag` hops earlier, after a maximum filter across frequency on that
/// earlier frame. The maximum filter makes a partial that merely wobbles (vibrato) or a
/// slow swell find its match and add nothing, while a new attack or a re-bowed note adds
/// energy that was not there: exactly the cue that splits repeated notes.
///
/// Reads the spectrum the pitch front end already has of YIN's integration window, the
/// newest 28.5 ms: short enough to hear the gap between staccato repeated notes, which a
/// 48 ms window smears over. The window (`CosineSumWindow`) is applied after the
/// transform, as a filter across bins. All buffers are allocated once.
public final class SpectralFluxOnsetFunction {
    public let transformSize: Int
    public let lag: Int
    private let window: CosineSumWindow
    /// Ring of the last `lag + 1` log spectra, max-filtered across frequency.
    private let history: UnsafeMutablePointer<Float>
    private let current: UnsafeMutablePointer<Float>
    private let bins: Int
    private let firstBin: Int
    /// Half-width of the maximum filter in bins (about 60 Hz).
    private let radius: Int
    /// Scales power to what a 512-point Hann window gives (window sum 256), the reference
    /// of the compression constant below.
    private let powerScale: Float
    private var frameCount = 0

    /// `window`: the window to apply to the spectra `process` gets (of its transform size).
    public init(window: CosineSumWindow, lag: Int = 2, sampleRate: Int = 16_000) {
        transformSize = window.transformSize
        self.lag = lag
        self.window = window
        bins = transformSize / 2
        let binWidth = Double(sampleRate) / Double(transformSize)
        radius = max(1, Int((60 / binWidth).rounded()))
        // Ignore rumble under 30 Hz; the window's filter reaches two bins below the
        // max filter's lowest bin.
        firstBin = max(radius + 2, Int(30 / binWidth))
        powerScale = (256 / window.sum) * (256 / window.sum)
        history = .allocate(capacity: (lag + 1) * bins)
        history.initialize(repeating: 0, count: (lag + 1) * bins)
        current = .allocate(capacity: bins)
        current.initialize(repeating: 0, count: bins)
    }

    deinit {
        history.deallocate()
        current.deallocate()
    }

    public func reset() {
        history.update(repeating: 0, count: (lag + 1) * bins)
        frameCount = 0
    }

    /// A frame known to be silent: the history records silence.
    public func processSilence() -> Float {
        (history + (frameCount % (lag + 1)) * bins).update(repeating: 0, count: bins)
        frameCount += 1
        return 0
    }

    /// `spectrum`: `transformSize / 2 + 1` bins of an unwindowed transform whose nonzero
    /// samples are the window's segment.
    public func process(spectrum: UnsafePointer<kiss_fft_cpx>) -> Float {
        let stored = history + (frameCount % (lag + 1)) * bins
        let earlier = history + ((frameCount + 1) % (lag + 1)) * bins  // `lag` frames ago
        let low = firstBin - radius, high = bins - 1
        // Windowed power, then log(1 + 10^4 |X|^2), which is about 2 log(1 + 100 |X|): the
        // same compression without a square root.
        window.power(of: spectrum, into: current, bins: low..<high)
        var k = low
        while k + 8 <= high {
            let power = UnsafeRawPointer(current + k).loadUnaligned(as: SIMD8<Float>.self)
            let logMagnitude = 0.5 * fastLog(1 + (10_000 * powerScale) * power)
            UnsafeMutableRawPointer(current + k).storeBytes(of: logMagnitude, as: SIMD8<Float>.self)
            k += 8
        }
        while k < high {
            current[k] = 0.5 * fastLog(1 + 10_000 * powerScale * current[k])
            k += 1
        }
        // Positive differences against the earlier frame, max-filtered when it was stored.
        var sums = SIMD8<Float>()
        k = firstBin
        let end = high - radius
        while k + 8 <= end {
            let difference = load8(current + k) - load8(earlier + k)
            sums += difference.replacing(with: 0, where: difference .< 0)
            k += 8
        }
        var flux = sums.sum()
        while k < end { flux += max(0, current[k] - earlier[k]); k += 1 }
        // Store this frame max-filtered across 2 radius + 1 bins, centred.
        k = low + radius
        while k + 8 <= high - radius {
            var maximum = load8(current + (k - radius))
            for offset in (1 - radius)...radius {
                let next = load8(current + (k + offset))
                maximum.replace(with: next, where: next .> maximum)  // (pointwiseMax is not inlined)
            }
            UnsafeMutableRawPointer(stored + k).storeBytes(of: maximum, as: SIMD8<Float>.self)
            k += 8
        }
        while k < high - radius {
            var maximum = current[k - radius]
            for offset in (1 - radius)...radius { maximum = max(maximum, current[k + offset]) }
            stored[k] = maximum
            k += 1
        }
        frameCount += 1
        return frameCount > lag ? flux / Float(bins) : 0
    }
}

@inline(__always)
private func load8(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func load8(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
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

/// `fastLog` on eight values at once.
@inline(__always)
func fastLog(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
    let exponent = SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: (bits &>> 23) & 0xFF) &- 127)
    let m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F80_0000, to: SIMD8<Float>.self)
    let log2Mantissa = -2.4968461 + (4.0285479 + (-2.0812142 + (0.62887362 - 0.07915816 * m) * m) * m) * m
    return (exponent + log2Mantissa) * 0.6931472
}
