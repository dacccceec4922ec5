import Foundation

/// Chooses each frame's f0 among its candidates, or silence, with a forward (causal)
/// Viterbi step: the best-scoring path ending in each state of this frame is extended
/// from the previous frame's states, and the frame's decision is the best state now.
/// Continuity of pitch is rewarded, so a single frame's octave slip does not win, while a
/// real note change (any interval) costs only a modest, interval-proportional penalty.
public struct CausalPitchTracker {
    public struct Decision: Sendable, Equatable {
        public var voiced: Bool
        public var midi: Float
        public var frequency: Float
        public var confidence: Float
    }

    // Log-domain transition costs.
    private let switchVoicing: Float = -4.6     // log(0.01)
    private let keepVoicing: Float = -0.01      // log(0.99)
    private let costPerSemitone: Float = 0.35   // a jump of an octave costs like a 1:67 odds ratio

    private var previousMidi: [Float]
    private var previousScore: [Float]
    private var previousCount = 0
    private var unvoicedScore: Float = 0

    public init() {
        previousMidi = [Float](repeating: 0, count: PitchCandidateExtractor.maximumCandidates)
        previousScore = [Float](repeating: -.infinity, count: PitchCandidateExtractor.maximumCandidates)
    }

    public mutating func reset() {
        previousCount = 0
        unvoicedScore = 0
    }

    /// `voicedEvidence` scales the candidates' total probability (0 for silent frames).
    public mutating func step(candidates: UnsafePointer<PitchCandidate>, count: Int, voicedEvidence: Float) -> Decision {
        var total: Float = 0
        for i in 0..<count { total += candidates[i].probability }
        let voicedMass = min(0.999, total) * voicedEvidence
        let unvoicedObservation = log(max(1e-4, 1 - voicedMass))

        var bestVoicedPrevious: Float = -.infinity
        for j in 0..<previousCount { bestVoicedPrevious = max(bestVoicedPrevious, previousScore[j]) }

        let newUnvoiced = unvoicedObservation + max(unvoicedScore + keepVoicing, bestVoicedPrevious + switchVoicing)

        var bestScore = newUnvoiced
        var bestIndex = -1
        var scores = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
        withUnsafeMutableBytes(of: &scores) { raw in
            let newScores = raw.bindMemory(to: Float.self)
            for i in 0..<count {
                let candidate = candidates[i]
                let observation = log(max(1e-4, candidate.probability * voicedEvidence))
                var fromPrevious = unvoicedScore + switchVoicing
                for j in 0..<previousCount {
                    let jump = abs(candidate.midi - previousMidi[j])
                    fromPrevious = max(fromPrevious, previousScore[j] + keepVoicing - costPerSemitone * jump)
                }
                let score = observation + fromPrevious
                newScores[i] = score
                if score > bestScore {
                    bestScore = score
                    bestIndex = i
                }
            }
            // Normalise so scores stay bounded over hours of audio.
            for i in 0..<count {
                previousScore[i] = newScores[i] - bestScore
                previousMidi[i] = candidates[i].midi
            }
        }
        previousCount = count
        unvoicedScore = newUnvoiced - bestScore

        guard bestIndex >= 0 else {
            return Decision(voiced: false, midi: 0, frequency: 0, confidence: 1 - voicedMass)
        }
        let chosen = candidates[bestIndex]
        return Decision(voiced: true, midi: chosen.midi, frequency: chosen.frequency,
                        confidence: min(1, max(0, 1 - chosen.aperiodicity)))
    }
}
