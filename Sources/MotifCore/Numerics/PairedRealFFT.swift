import CKissFFT
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Two real-input FFTs of one size for the price of one complex FFT: the pair goes in as
/// the real and imaginary parts of one sequence, and the two spectra are told apart by
/// conjugate symmetry,
///
///     X[k] = (Z[k] + conj Z[N-k]) / 2,   Y[k] = (Z[k] - conj Z[N-k]) / 2i.
///
/// (KissFFT's real transform is a half-size complex one plus a twiddle pass; at 768
/// points two of them take about 10 % longer than this.) Create once, run many times.
public final class PairedRealFFT {
    public let size: Int
    private let plan: kiss_fft_cfg
    /// The pair to transform, written by the caller: `r` the first sequence, `i` the
    /// second, `size` entries.
    public let input: UnsafeMutablePointer<kiss_fft_cpx>
    private let output: UnsafeMutablePointer<kiss_fft_cpx>

    public init(size: Int) {
        precondition(size > 0 && size % 2 == 0, "FFT size must be even")
        self.size = size
        plan = kiss_fft_alloc(Int32(size), 0, nil, nil)
        input = .allocate(capacity: size)
        input.initialize(repeating: kiss_fft_cpx(r: 0, i: 0), count: size)
        output = .allocate(capacity: size)
        output.initialize(repeating: kiss_fft_cpx(r: 0, i: 0), count: size)
    }

    deinit {
        free(UnsafeMutableRawPointer(plan))
        input.deallocate()
        output.deallocate()
    }

    /// Number of complex bins of each spectrum (size / 2 + 1), as a real FFT gives.
    public var binCount: Int { size / 2 + 1 }

    /// Transforms `input`; writes `binCount` bins of each sequence's spectrum.
    public func forward(first: UnsafeMutablePointer<kiss_fft_cpx>, second: UnsafeMutablePointer<kiss_fft_cpx>) {
        kiss_fft(plan, input, output)
        let zero = output[0]
        first[0] = kiss_fft_cpx(r: zero.r, i: 0)
        second[0] = kiss_fft_cpx(r: zero.i, i: 0)
        var mirror = output + size
        for k in 1..<binCount {
            mirror -= 1
            let z = output[k], m = mirror.pointee
            first[k] = kiss_fft_cpx(r: 0.5 * (z.r + m.r), i: 0.5 * (z.i - m.i))
            second[k] = kiss_fft_cpx(r: 0.5 * (z.i + m.i), i: 0.5 * (m.r - z.r))
        }
    }
}
