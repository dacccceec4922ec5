import CKissFFT
import Foundation

/// Tells a period that is really several cycles of a note from the note's own: a frame whose
/// spectrum has next to nothing at a candidate's f0 while its harmonics are strong.
///
/// YIN finds the waveform's period. An organ's mutation ranks (a quint sounding a fifth
/// above the note), a note a fifth away still ringing, or a reverberant tail add a
/// component at 1.5 f0, and the waveform then repeats only every two cycles of the note:
/// YIN's deepest dip is at twice the period, an octave too low, and the candidate there has
/// no fundamental at all (30 to 60 dB under its strongest harmonic on the rendered organ,
/// violin and flute of the dev set, while a correctly tracked note's is within 15 dB of it).
/// Two plucked notes ringing together repeat at their common subharmonic in the same way.
/// Only a candidate with a partner at 2 to 4 times its frequency among the candidates is
/// asked about (`reassign`): a note whose fundamental is merely weak or filtered out
/// (harmonics 2, 3, 4, 5 ...) has harmonics that no multiple of it explains, so no dip
/// forms there and its pitch stands. Reads the pitch front end's own spectrum; nothing is
/// allocated.
public struct MissingFundamentalCheck: Sendable {
    /// How far under its strongest harmonic (power ratio: 30 dB) a fundamental may fall
    /// before it counts as missing.
    public var floor: Float = 1e-3
    /// Harmonics compared with the fundamental (2...harmonics).
    public var harmonics = 8
    /// Partners up to this multiple of a candidate's frequency may take over from it.
    public var largestPartnerMultiple: Float = 4
    private let binHz: Float
    private let binCount: Int

    public init(transformSize: Int, sampleRate: Int) {
        binHz = Float(sampleRate) / Float(transformSize)
        binCount = transformSize / 2 + 1
    }

    /// A candidate with a partner among the candidates at 2 to `largestPartnerMultiple`
    /// times its frequency is checked for a fundamental of its own. Without one, its period
    /// spans several cycles of the partner's (the most periodic such partner): that one
    /// takes over its probability and its dip (a quint or a note still ringing makes the
    /// partner's own dip too shallow for pYIN's thresholds), and it is marked
    /// `fundamentalMissing`. Lowest first, so that a chain of them ends at the top.
    /// `candidates` come in order of falling frequency, as `PitchCandidateExtractor`
    /// writes them; `spectrum` is the unwindowed frame's transform.
    public func reassign(_ candidates: UnsafeMutablePointer<PitchCandidate>, count: Int, spectrum: UnsafePointer<kiss_fft_cpx>) {
        for i in stride(from: count - 1, through: 0, by: -1) {
            let low = candidates[i]
            var partner = -1
            for j in 0..<i {
                let ratio = candidates[j].frequency / low.frequency, multiple = Float(roundedToInt(ratio))
                guard multiple >= 2, multiple <= largestPartnerMultiple, abs(ratio - multiple) < 0.03 * multiple else { continue }
                if partner < 0 || candidates[j].aperiodicity < candidates[partner].aperiodicity { partner = j }
            }
            guard partner >= 0, isMissing(fundamental: low.frequency, spectrum: spectrum) else { continue }
            candidates[i].fundamentalMissing = true
            candidates[partner].probability = max(candidates[partner].probability, low.probability)
            candidates[partner].aperiodicity = min(candidates[partner].aperiodicity, low.aperiodicity)
        }
    }

    /// `spectrum`: the unwindowed frame's transform (Hann-windowed here, bin by bin).
    public func isMissing(fundamental frequency: Float, spectrum: UnsafePointer<kiss_fft_cpx>) -> Bool {
        let fundamental = harmonicPower(frequency, spectrum)
        for h in 2...harmonics {
            let f = Float(h) * frequency
            if roundedToInt(f / binHz) + 2 >= binCount { break }
            if fundamental < floor * harmonicPower(f, spectrum) { return true }
        }
        return false
    }

    /// Hann-windowed power at the peak nearest `frequency` (the largest of three bins).
    private func harmonicPower(_ frequency: Float, _ spectrum: UnsafePointer<kiss_fft_cpx>) -> Float {
        let centre = roundedToInt(frequency / binHz)
        var best: Float = 0
        for k in max(1, centre - 1)...min(binCount - 2, centre + 1) { best = max(best, hannPower(spectrum, bin: k)) }
        return best
    }
}
