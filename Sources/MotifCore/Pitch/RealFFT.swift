import CKissFFT
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A real-input FFT of fixed size through KissFFT (BSD licensed; see README for why not FFTW).
/// Create once, run many times: the plan and the spectrum buffer are allocated up front.
public final class RealFFT {
    public let size: Int
    private let forwardPlan: kiss_fftr_cfg
    private let inversePlan: kiss_fftr_cfg

    /// `size` must be even; KissFFT is fastest for sizes made of 2, 3 and 5.
    public init(size: Int) {
        precondition(size > 0 && size % 2 == 0, "real FFT size must be even")
        self.size = size
        forwardPlan = kiss_fftr_alloc(Int32(size), 0, nil, nil)
        inversePlan = kiss_fftr_alloc(Int32(size), 1, nil, nil)
    }

    deinit {
        kiss_fftr_free(forwardPlan)
        kiss_fftr_free(inversePlan)
    }

    /// The smallest even size >= `minimum` whose only prime factors are 2 and 3, which
    /// KissFFT's radix-2/3/4 butterflies handle fastest (768 rather than 1024 for 762).
    public static func efficientSize(atLeast minimum: Int) -> Int {
        var best = Int.max
        var power2 = 2
        while power2 < 2 * max(minimum, 2) {
            var size = power2
            while size < minimum { size *= 3 }
            best = min(best, size)
            power2 *= 2
        }
        return best
    }

    /// Number of complex bins a forward transform produces (size / 2 + 1).
    public var binCount: Int { size / 2 + 1 }

    /// `input`: `size` samples; `spectrum`: `binCount` bins.
    @inline(__always)
    public func forward(_ input: UnsafePointer<Float>, _ spectrum: UnsafeMutablePointer<kiss_fft_cpx>) {
        kiss_fftr(forwardPlan, input, spectrum)
    }

    /// Unnormalised inverse: the result is `size` times the true inverse.
    @inline(__always)
    public func inverse(_ spectrum: UnsafePointer<kiss_fft_cpx>, _ output: UnsafeMutablePointer<Float>) {
        kiss_fftri(inversePlan, spectrum, output)
    }
}

/// KissFFT allocates a plan with malloc and frees it with free (KISS_FFT_FREE).
private func kiss_fftr_free(_ cfg: kiss_fftr_cfg) { free(UnsafeMutableRawPointer(cfg)) }
