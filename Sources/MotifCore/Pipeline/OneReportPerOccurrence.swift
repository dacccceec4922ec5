/// The pipeline's last word on recognitions: its two readings of the notes (YIN's and the
/// most salient pitch's) each have a matcher, and each matcher reports one motif per
/// occurrence; together they could still report an occurrence twice. A recognition is
/// dropped when one of the same motif over about the same time was reported already (the
/// other reading heard it too), or when one of another motif over most of its time was,
/// with at least its confidence (the other reading heard those notes as that motif).
/// Remembers the last 16 reports; nothing is allocated once it holds them.
public struct OneReportPerOccurrence {
    private var recent: [(motif: String, start: Double, end: Double, confidence: Double)] = []
    private static let capacity = 16
    /// Two recognitions of one motif this close (s) are one occurrence.
    private static let sameMotifSlack = 0.5

    public init() { recent.reserveCapacity(Self.capacity) }

    /// Whether `recognition` is to be reported; if so, it is remembered.
    public mutating func admit(_ recognition: Recognition) -> Bool {
        let span = recognition.end - recognition.start
        for earlier in recent {
            if earlier.motif == recognition.motifID {
                if earlier.start < recognition.end + Self.sameMotifSlack
                    && recognition.start < earlier.end + Self.sameMotifSlack { return false }
            } else if min(earlier.end, recognition.end) - max(earlier.start, recognition.start) > 0.5 * span
                        && recognition.confidence <= earlier.confidence {
                return false
            }
        }
        if recent.count >= Self.capacity { recent.removeFirst() }
        recent.append((recognition.motifID, recognition.start, recognition.end, recognition.confidence))
        return true
    }

    public mutating func reset() { recent.removeAll(keepingCapacity: true) }
}
