/// Tells silence from sound, relative to how loud the input has recently been.
///
/// A fixed threshold in dBFS ties the listener to one gain staging: at -60 dBFS a line
/// input or a microphone at the back of a hall, whose music peaks 40 dB under full scale,
/// is mostly "silence", and nothing is recognised. Here a frame is silent when its level
/// is `range` dB or more under the loudest hop of the last `memory` seconds (the music's
/// own dynamic range stays sound), but the threshold is never above `ceiling` (what a
/// normally levelled input has always used) nor under `floor` (digital silence and the
/// noise of a converter stay silence). Until the input has been heard at all, the
/// threshold is `ceiling`. Allocation-free after `init`.
public final class SilenceGate {
    public struct Settings: Sendable {
        /// The threshold for an input whose recent peak is `range` dB under it or louder
        /// (dBFS): a frame must be louder to be sound.
        public var ceiling: Float = -60
        /// How far (dB) under the recent loudest hop a frame may be and still be sound.
        /// (35: the same -60 dBFS for the generated sets, whose loudest hops reach -25 dBFS
        /// and more within any few seconds.)
        public var range: Float = 35
        public var floor: Float = -100
        /// Seconds of input whose loudest hop counts.
        public var memory: Double = 5

        public init() {}
    }

    public let settings: Settings
    /// Loudest hop of each of the last few blocks (`blockFrames` frames each), as a ring;
    /// the block being filled is `current`.
    private let blockPeaks: UnsafeMutablePointer<Float>
    private let blockCount: Int
    private let blockFrames: Int
    private var current: Float = -.infinity
    private var framesInBlock = 0
    private var nextBlock = 0
    public private(set) var threshold: Float

    /// `framesPerSecond`: how often `observe` is called.
    public init(settings: Settings = Settings(), framesPerSecond: Double) {
        self.settings = settings
        blockFrames = max(1, Int((framesPerSecond / 2).rounded()))  // half-second blocks
        blockCount = max(1, Int((settings.memory * 2).rounded()))
        blockPeaks = .allocate(capacity: blockCount)
        blockPeaks.initialize(repeating: -.infinity, count: blockCount)
        threshold = settings.ceiling
    }

    deinit { blockPeaks.deallocate() }

    public func reset() {
        blockPeaks.update(repeating: -.infinity, count: blockCount)
        current = -.infinity
        framesInBlock = 0
        nextBlock = 0
        threshold = settings.ceiling
    }

    /// Takes the level (dBFS) of the newest hop and updates `threshold`.
    public func observe(hopLevel: Float) {
        current = max(current, hopLevel)
        framesInBlock += 1
        if framesInBlock == blockFrames {
            blockPeaks[nextBlock] = current
            nextBlock = (nextBlock + 1) % blockCount
            current = -.infinity
            framesInBlock = 0
        }
        var peak = current
        for i in 0..<blockCount { peak = max(peak, blockPeaks[i]) }
        // Nothing heard yet (or only digital silence): the ceiling.
        guard peak > settings.floor else { threshold = settings.ceiling; return }
        threshold = max(settings.floor, min(settings.ceiling, peak - settings.range))
    }
}
