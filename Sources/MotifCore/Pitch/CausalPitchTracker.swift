import Foundation

/// Decides each frame's voicing and f0, causally.
///
/// Voicing is a hysteresis on periodicity: a frame turns voiced when its best YIN dip is
/// deep (d' below `voicingOn`) and stays voiced while it remains below `voicingOff`, so
/// slow attacks and decaying notes keep their pitch without chattering.
/// The f0 is chosen among the frame's candidates by a forward Viterbi step: the best path
/// ending in each candidate is extended from the previous frame's candidates with a cost
/// proportional to the jump in semitones, and the best candidate now is the decision. A
/// single frame's octave slip therefore does not win, while a real note change (any
/// interval) costs only a modest, interval-proportional penalty.
public struct CausalPitchTracker {
    public struct Decision: Sendable, Equatable {
        public var voiced: Bool
        public var midi: Float
        public var frequency: Float
        public var confidence: Float
    }

    public var voicingOn: Float = 0.35
    public var voicingOff: Float = 0.5
    /// Log-probability cost of a jump of one semitone between frames.
    public var costPerSemitone: Float = 0.15
    /// A candidate an octave or more below another whose dip is at most this much
    /// shallower is taken for a subharmonic of it (a period spanning two or more cycles)...
    public var subharmonicMargin: Float = 0.25
    /// ...and pays this log-probability penalty, as does a candidate with no fundamental of
    /// its own (`PitchCandidate.fundamentalMissing`).
    public var subharmonicPenalty: Float = 2.5

    private var previousMidi: [Float]
    private var previousScore: [Float]
    private var previousCount = 0
    private var voiced = false

    public init() {
        previousMidi = [Float](repeating: 0, count: PitchCandidateExtractor.maximumCandidates)
        previousScore = [Float](repeating: -.infinity, count: PitchCandidateExtractor.maximumCandidates)
    }

    public mutating func reset() {
        previousCount = 0
        voiced = false
    }

    /// `audible` is false for frames below the silence level.
    public mutating func step(candidates: UnsafePointer<PitchCandidate>, count: Int, audible: Bool) -> Decision {
        var deepest: Float = 1
        for i in 0..<count { deepest = min(deepest, candidates[i].aperiodicity) }
        voiced = audible && count > 0 && deepest < (voiced ? voicingOff : voicingOn)
        guard voiced else {
            previousCount = 0
            return Decision(voiced: false, midi: 0, frequency: 0, confidence: min(1, max(0, deepest)))
        }

        var bestScore = -Float.infinity
        var bestIndex = 0
        var scores = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
        withUnsafeMutableBytes(of: &scores) { raw in
            let newScores = raw.bindMemory(to: Float.self)
            for i in 0..<count {
                let candidate = candidates[i]
                // pYIN's probability favours the first deep dip; the floor keeps later
                // dips (a probability of 0) selectable when continuity demands them.
                var observation = log(max(0.02, candidate.probability)) - 2 * candidate.aperiodicity
                if candidate.fundamentalMissing || isSubharmonic(candidate, among: candidates, count: count) { observation -= subharmonicPenalty }
                var fromPrevious: Float = previousCount == 0 ? 0 : -.infinity
                for j in 0..<previousCount {
                    let jump = abs(candidate.midi - previousMidi[j])
                    fromPrevious = max(fromPrevious, previousScore[j] - costPerSemitone * jump)
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
        let chosen = candidates[bestIndex]
        return Decision(voiced: true, midi: chosen.midi, frequency: chosen.frequency,
                        confidence: min(1, max(0, 1 - chosen.aperiodicity)))
    }

    /// Whether some higher candidate, an integer multiple (2-6) of this one's frequency
    /// within 3 %, is nearly as periodic: then this lag spans whole cycles of that one.
    /// (Up to 6: a plucked note still ringing under the next one makes the pair repeat
    /// at their common subharmonic, 3 to 5 times below the new note for a fourth to a sixth.)
    private func isSubharmonic(_ candidate: PitchCandidate, among candidates: UnsafePointer<PitchCandidate>, count: Int) -> Bool {
        for i in 0..<count {
            let other = candidates[i]
            guard other.frequency > candidate.frequency * 1.9,
                  other.aperiodicity <= candidate.aperiodicity + subharmonicMargin else { continue }
            let ratio = other.frequency / candidate.frequency
            let multiple = Float(roundedToInt(ratio))
            if abs(ratio - multiple) < 0.03 * multiple && multiple <= 6 { return true }
        }
        return false
    }
}
