import Foundation

/// One f0 hypothesis of a frame.
public struct PitchCandidate: Sendable, Equatable {
    /// Fractional MIDI pitch.
    public var midi: Float
    public var frequency: Float
    /// Probability that this is the frame's f0 (pYIN's threshold-distribution rule).
    public var probability: Float
    /// Depth of the YIN dip: d'(tau), lower is more periodic.
    public var aperiodicity: Float
    /// The spectrum has next to nothing at this f0 while a candidate at 2 to 4 times it
    /// exists (`MissingFundamentalCheck`): the period spans several cycles of that one.
    public var fundamentalMissing = false

    public init(midi: Float = 0, frequency: Float = 0, probability: Float = 0, aperiodicity: Float = 1) {
        self.midi = midi
        self.frequency = frequency
        self.probability = probability
        self.aperiodicity = aperiodicity
    }
}

/// Turns a YIN d' curve into a few pitch candidates with probabilities, as probabilistic
/// YIN does (Mauch & Dixon 2014): for a threshold s drawn from a Beta(2, 18) distribution,
/// YIN picks the first dip below s; a dip's probability is the mass of the thresholds that
/// pick it. Shallow dips after a deep one get nothing, which is what suppresses the
/// octave-too-low errors; the tracker settles the rest.
public struct PitchCandidateExtractor {
    public static let maximumCandidates = 8
    private let cumulativeThreshold: [Float]  // CDF of the threshold prior at 0.001 steps
    private let sampleRate: Float
    private let minimumLag: Int
    private let maximumLag: Int

    public init(sampleRate: Int, minimumLag: Int, maximumLag: Int) {
        self.sampleRate = Float(sampleRate)
        self.minimumLag = minimumLag
        self.maximumLag = maximumLag
        cumulativeThreshold = Self.betaCDF(a: 2, b: 18, steps: 1000)
    }

    /// Writes up to `maximumCandidates` candidates into `out`, returns how many.
    public func extract(normalized d: UnsafePointer<Float>, into out: UnsafeMutablePointer<PitchCandidate>) -> Int {
        var count = 0
        var smallestSoFar: Float = 1  // smallest dip value at lower lags
        var tau = minimumLag
        let last = maximumLag - 1
        while tau <= last && count < Self.maximumCandidates {
            let value = d[tau]
            if value < d[tau - 1] && value <= d[tau + 1] && value < 1 {
                let probability = value < smallestSoFar ? cdf(smallestSoFar) - cdf(value) : 0
                // Parabolic interpolation of the dip for sub-sample lag.
                let a = d[tau - 1], b = value, c = d[tau + 1]
                let denominator = a - 2 * b + c
                let shift = denominator > 0 ? 0.5 * (a - c) / denominator : 0
                let lag = Float(tau) + max(-0.5, min(0.5, shift))
                let frequency = sampleRate / lag
                if value < 0.6 {
                    out[count] = PitchCandidate(
                        midi: 69 + 12 * log2(frequency / 440), frequency: frequency,
                        probability: probability, aperiodicity: value)
                    count += 1
                }
                smallestSoFar = min(smallestSoFar, value)
            }
            tau += 1
        }
        return count
    }

    @inline(__always)
    private func cdf(_ threshold: Float) -> Float {
        let index = Int(threshold * 1000)
        return cumulativeThreshold[max(0, min(1000, index))]
    }

    /// The regularised incomplete beta function on a grid, by trapezoidal integration.
    static func betaCDF(a: Double, b: Double, steps: Int) -> [Float] {
        var density = [Double](repeating: 0, count: steps + 1)
        for i in 0...steps {
            let x = Double(i) / Double(steps)
            density[i] = pow(x, a - 1) * pow(1 - x, b - 1)
        }
        var cumulative = [Double](repeating: 0, count: steps + 1)
        for i in 1...steps { cumulative[i] = cumulative[i - 1] + 0.5 * (density[i] + density[i - 1]) }
        let total = cumulative[steps]
        return cumulative.map { Float($0 / total) }
    }
}
