import CKissFFT

/// Power of a Hann-windowed spectrum, computed from the spectrum of the unwindowed frame:
/// the window is the three-tap filter 0.5 X[k] - 0.25 (X[k-1] + X[k+1]) across bins
/// (exact for a frame that fills the transform). Eight bins at a time; writes
/// `power[k]` for k in `range`, which must leave one bin free at each end of `spectrum`.
@inline(__always)
func hannPowerSpectrum(_ spectrum: UnsafePointer<kiss_fft_cpx>, into power: UnsafeMutablePointer<Float>, bins range: Range<Int>) {
    let interleaved = UnsafeRawPointer(spectrum)  // re, im, re, im, ...
    let stride = 2 * MemoryLayout<Float>.stride
    var k = range.lowerBound
    while k + 8 <= range.upperBound {
        let before = interleaved.loadUnaligned(fromByteOffset: (k - 1) * stride, as: SIMD16<Float>.self)
        let at = interleaved.loadUnaligned(fromByteOffset: k * stride, as: SIMD16<Float>.self)
        let after = interleaved.loadUnaligned(fromByteOffset: (k + 1) * stride, as: SIMD16<Float>.self)
        let re = 0.5 * at.evenHalf - 0.25 * (before.evenHalf + after.evenHalf)
        let im = 0.5 * at.oddHalf - 0.25 * (before.oddHalf + after.oddHalf)
        UnsafeMutableRawPointer(power + k).storeBytes(of: re * re + im * im, as: SIMD8<Float>.self)
        k += 8
    }
    while k < range.upperBound {
        power[k] = hannPower(spectrum, bin: k)
        k += 1
    }
}

/// The same for one bin `k` (which must have a neighbour on each side).
@inline(__always)
func hannPower(_ spectrum: UnsafePointer<kiss_fft_cpx>, bin k: Int) -> Float {
    let re = 0.5 * spectrum[k].r - 0.25 * (spectrum[k - 1].r + spectrum[k + 1].r)
    let im = 0.5 * spectrum[k].i - 0.25 * (spectrum[k - 1].i + spectrum[k + 1].i)
    return re * re + im * im
}
