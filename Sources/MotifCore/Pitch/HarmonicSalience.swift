import CKissFFT
import Foundation

/// The predominant pitch of a frame by harmonic summation over its spectral peaks (after
/// Salamon & Gómez's melody salience): each peak votes for every f0 it could be the h-th
/// harmonic of, with its magnitude times alpha^(h-1). In a mix the strongest f0 is
/// usually the melody's, where YIN's period is often the bass's or the chord's common
/// subharmonic. Reads the pitch front end's own transform (Hann-windowed across bins);
/// nothing is allocated per frame.
public final class HarmonicSalience {
    /// The predominant pitch is sought from here up...
    public static let lowestMidi: Float = 48
    public static let highestMidi: Float = 96
    /// ...but the salience is computed from here, so that a bass note under that range is
    /// seen as itself. Its harmonics vote for its octave too (partials 2, 4, 6... as
    /// harmonics 1, 2, 3), and with the melody at the level of the whole accompaniment
    /// that octave outvoted the melody: the melody reading took the bass an octave up.
    /// So a peak an octave above a stronger note is that note's second harmonic, not a
    /// note (`strongestSoughtNote`). (Over the 13 generated sets: accompanied
    /// occurrences found 140 -> 152 of 208 with 60 motifs, 117 -> 125 with 2,060. Taking
    /// the twelfth and the double octave for harmonics too found fewer.)
    private static let lowestComputedMidi: Float = 33
    private static let binsPerSemitone: Float = 4
    private static let harmonics = 10
    private static let alpha: Float = 0.8
    /// A vote reaches this far (semitones) either side of its f0, fading as 1 - (d/reach)^2.
    private static let spread: Float = 0.5
    /// Peaks above this (Hz) do not vote: past the second harmonic of the highest f0 there
    /// is little but high harmonics and noise, and each such peak could be any of several
    /// harmonic numbers, so they cost the most votes.
    private static let highestPeakHz: Float = 5_000
    /// Peaks more than this far (as a power ratio, 30 dB) under the strongest do not vote:
    /// they add little but time (every frame of a mix, and every frame where YIN is unsure).
    private static let peakFloor: Float = 1e-3
    /// A note whose even harmonics (2, 4, 6, 8) carry this many times the power of its odd
    /// ones (1, 3, 5, 7) has a note an octave above it sounding too: that note's harmonics
    /// are all even harmonics of the lower one (see `strongestSoughtNote`).
    private static let doubledOctaveEvenToOdd: Float = 2
    private static let doubledOctaveHarmonics = 8

    public let transformSize: Int
    private let midiOfOneHertz: Float  // so that pitch = this + 12 log2(f / 1 Hz)
    private let binHz: Float
    private let salienceBins: Int
    /// Bins that may vote (up to `highestPeakHz`), and one above, to tell the last one's a peak.
    private let votingBins: Int
    private let salience: UnsafeMutablePointer<Float>
    private let power: UnsafeMutablePointer<Float>
    /// Per bin, in the frame at hand: whether it is a local maximum that is a note (not
    /// the octave of a stronger note). Written as the bins are scanned, low to high.
    private let noteAtBin: UnsafeMutablePointer<Bool>
    private let firstSoughtBin: Int
    private let octaveBins = Int(12 * binsPerSemitone)
    /// Half a semitone, in bins: how far off an octave a peak may lie and still be at it.
    private let octaveReach = Int(binsPerSemitone / 2)
    /// 12 log2(h) for h = 1...harmonics, and alpha^(h-1).
    private let harmonicOffset: [Float]
    private let harmonicWeight: [Float]

    public init(transformSize: Int, sampleRate: Int = 16_000) {
        self.transformSize = transformSize
        binHz = Float(sampleRate) / Float(transformSize)
        midiOfOneHertz = 69 - 12 * log2(440)
        salienceBins = Int((Self.highestMidi - Self.lowestComputedMidi) * Self.binsPerSemitone) + 1
        firstSoughtBin = Int((Self.lowestMidi - Self.lowestComputedMidi) * Self.binsPerSemitone)
        noteAtBin = .allocate(capacity: salienceBins)
        noteAtBin.initialize(repeating: false, count: salienceBins)
        votingBins = min(transformSize / 2, Int(Self.highestPeakHz / binHz) + 1)
        salience = .allocate(capacity: salienceBins)
        salience.initialize(repeating: 0, count: salienceBins)
        power = .allocate(capacity: transformSize / 2 + 1)
        power.initialize(repeating: 0, count: transformSize / 2 + 1)
        harmonicOffset = (1...Self.harmonics).map { 12 * log2(Float($0)) }
        harmonicWeight = (1...Self.harmonics).map { pow(Self.alpha, Float($0 - 1)) }
    }

    deinit {
        salience.deallocate()
        power.deallocate()
        noteAtBin.deallocate()
    }

    /// `spectrum`: `transformSize / 2 + 1` bins of an unwindowed frame; `periodicMidi`: the
    /// frame's periodicity pitch (YIN's; 0 if none). Returns the most salient f0
    /// (fractional MIDI; 0 for a silent spectrum) and the salience an octave above it, as a
    /// share of its own.
    public func predominantPitch(spectrum: UnsafePointer<kiss_fft_cpx>,
                                 periodicMidi: Float = 0) -> (midi: Float, octaveAboveShare: Float) {
        let bins = votingBins
        hannPowerSpectrum(spectrum, into: power, bins: 1..<bins)
        var strongest: Float = 0
        for k in 1..<bins { strongest = max(strongest, power[k]) }
        guard strongest > 0 else { return (0, 0) }
        salience.update(repeating: 0, count: salienceBins)
        let floor = strongest * Self.peakFloor
        harmonicOffset.withUnsafeBufferPointer { offsets in
            harmonicWeight.withUnsafeBufferPointer { weights in
                for k in 2..<(bins - 1) {
                    let b = power[k]
                    guard b > floor, b > power[k - 1], b >= power[k + 1] else { continue }
                    // Parabolic interpolation on log power for the peak's frequency.
                    let a = log(power[k - 1] + 1e-12), c = log(power[k + 1] + 1e-12), m = log(b)
                    let denominator = a - 2 * m + c
                    let shift = denominator < 0 ? max(-0.5, min(0.5, 0.5 * (a - c) / denominator)) : 0
                    let peakMidi = midiOfOneHertz + 12 * log2((Float(k) + shift) * binHz)
                    let magnitude = b.squareRoot()
                    for h in 0..<Self.harmonics {
                        let midi = peakMidi - offsets[h]
                        if midi < Self.lowestComputedMidi - 0.5 { break }
                        if midi > Self.highestMidi + 0.5 { continue }
                        // Spread over the salience bins within half a semitone (1 - 4 d^2).
                        let position = (midi - Self.lowestComputedMidi) * Self.binsPerSemitone
                        let vote = magnitude * weights[h]
                        let reach = Self.binsPerSemitone * Self.spread
                        let first = max(0, ceiledToInt(position - reach))
                        let last = min(salienceBins - 1, flooredToInt(position + reach))
                        if first > last { continue }
                        for bin in first...last {
                            let distance = (Float(bin) - position) / reach
                            salience[bin] += vote * (1 - distance * distance)
                        }
                    }
                }
            }
        }
        let best = strongestSoughtNote(periodicMidi: periodicMidi)
        guard best > 0 else { return (0, 0) }
        var octaveAboveShare: Float = 0
        let above = best + octaveBins
        if above + octaveReach < salienceBins {
            var top: Float = 0
            for bin in (above - octaveReach)...(above + octaveReach) { top = max(top, salience[bin]) }
            octaveAboveShare = top / salience[best]
        }
        // Centre of the peak from its neighbours.
        var midiBin = Float(best)
        if best > 0 && best < salienceBins - 1 {
            let a = salience[best - 1], b = salience[best], c = salience[best + 1]
            let denominator = a - 2 * b + c
            if denominator < 0 { midiBin += max(-0.5, min(0.5, 0.5 * (a - c) / denominator)) }
        }
        return (Self.midi(atBin: midiBin), octaveAboveShare)
    }

    /// The strongest local maximum of the salience from `lowestMidi` up that is a note
    /// (the strongest maximum there if none is; 0 for none at all). A maximum within half a
    /// semitone of an octave above a more salient one that is a note is not a note, but
    /// that note's second harmonic...
    ///
    /// ...unless the lower note's even harmonics are far stronger than its odd ones: then
    /// a note an octave above it sounds as well (a chord tone doubling the melody an octave
    /// below), and the lower one's salience is swollen by the upper one's harmonics, so the
    /// upper one is the note and the lower one is not. Not where the frame's periodicity
    /// pitch is the lower note: one periodic tone with strong even harmonics is a timbre
    /// (an organ's octave ranks), not two notes. (Over 24 generated sets: 10 more
    /// occurrences found and 1 false positive fewer with 60 motifs, 3 more found and 5
    /// fewer false positives with 2,060, most with a chord under the melody. In the
    /// guitar-arpeggio scenes, the melody reading's frames taken an octave low fell from
    /// 12 % to 7 % of the motif notes' frames.)
    private func strongestSoughtNote(periodicMidi: Float) -> Int {
        for bin in 1..<(salienceBins - 1) {
            let value = salience[bin]
            var isNote = isPeak(bin)
            if isNote && bin - octaveBins - octaveReach >= 1 {
                for lower in (bin - octaveBins - octaveReach)...(bin - octaveBins + octaveReach)
                where noteAtBin[lower] && value < salience[lower] {
                    if bin >= firstSoughtBin && isDoubledAnOctaveUp(lower, periodicMidi: periodicMidi) {
                        noteAtBin[lower] = false
                    } else {
                        isNote = false
                    }
                    break
                }
            }
            noteAtBin[bin] = isNote
        }
        var best = 0, strongest = 0
        for bin in firstSoughtBin..<(salienceBins - 1) where isPeak(bin) {
            if strongest == 0 || salience[bin] > salience[strongest] { strongest = bin }
            if noteAtBin[bin] && (best == 0 || salience[bin] > salience[best]) { best = bin }
        }
        return best > 0 ? best : strongest
    }

    /// The pitch (fractional MIDI) of a salience bin, fractional too.
    private static func midi(atBin bin: Float) -> Float { lowestComputedMidi + bin / binsPerSemitone }

    /// Whether salience bin `bin` (not the first or last) is a local maximum.
    private func isPeak(_ bin: Int) -> Bool {
        let value = salience[bin]
        return value > 0 && value > salience[bin - 1] && value >= salience[bin + 1]
    }

    /// Whether the note at salience bin `bin` has a note an octave above it sounding too
    /// (see `strongestSoughtNote`), by the power of its even and odd harmonics.
    private func isDoubledAnOctaveUp(_ bin: Int, periodicMidi: Float) -> Bool {
        let midi = Self.midi(atBin: Float(bin))
        if periodicMidi > 0 && abs(periodicMidi - midi) < 0.75 { return false }
        let fundamental = frequency(ofMidi: midi)
        let lastBin = votingBins - 2
        var even: Float = 0, odd: Float = 0
        for h in 1...Self.doubledOctaveHarmonics {
            let k = Int((fundamental * Float(h) / binHz).rounded())
            if k > lastBin { break }
            // The strongest of the bins around the harmonic (a Hann window's main lobe).
            let harmonicPower = max(power[k - 1], max(power[k], power[k + 1]))
            if h % 2 == 0 { even += harmonicPower } else { odd += harmonicPower }
        }
        return even >= Self.doubledOctaveEvenToOdd * odd && even > 0
    }
}
