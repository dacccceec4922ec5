/// Picks onsets from an onset-strength function, causally with one frame of delay: a frame
/// is an onset when it is a local maximum (known once the next frame arrives) and exceeds
/// `delta` plus `lambda` times the mean of the `window` frames before it, an adaptive
/// threshold that follows the texture's own level of flux.
public struct OnsetPeakPicker: Sendable {
    public var delta: Float = 0.04
    public var lambda: Float = 2
    public static let window = 10

    private var recent = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
    private var recentIndex = 0
    private var previous: Float = 0      // strength of the candidate frame (one back)
    private var beforePrevious: Float = 0
    private var previousTime: Double = 0
    private var count = 0

    /// A picked onset: the frame's time and onset strength.
    public struct Peak: Sendable, Equatable {
        public var time: Double
        public var strength: Float
    }

    public init() {}

    public mutating func reset() { self = OnsetPeakPicker() }

    /// Feeds one frame; returns the previous frame if that was an onset.
    public mutating func process(strength: Float, time: Double) -> Peak? {
        defer {
            // The candidate joins the history only after it has been judged.
            withUnsafeMutableBytes(of: &recent) { raw in
                raw.bindMemory(to: Float.self)[recentIndex] = previous
            }
            recentIndex = (recentIndex + 1) % Self.window
            beforePrevious = previous
            previous = strength
            previousTime = time
            count += 1
        }
        guard count > Self.window else { return nil }
        guard previous > beforePrevious && previous >= strength else { return nil }
        var sum: Float = 0
        withUnsafeBytes(of: &recent) { raw in
            for value in raw.bindMemory(to: Float.self) { sum += value }
        }
        // `recent` holds the frames before the candidate.
        guard previous > delta + lambda * sum / Float(Self.window) else { return nil }
        return Peak(time: previousTime, strength: previous)
    }
}
