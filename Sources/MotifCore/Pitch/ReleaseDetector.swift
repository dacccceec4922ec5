/// Tells when a note is being let go, so that its release tail is not called voiced.
///
/// A released note keeps ringing: a bowed or blown tone dies away over 100-200 ms and a
/// piano's over longer, and YIN hears the pitch all along. What marks the release is the
/// shape of the level: a steady fall, frame after frame, much faster than a piano's or a
/// harp's natural decay and steadier than a tremolo or a bow change. The tail then stays
/// unvoiced until the level rises again (a new attack) or the pitch moves (a new note).
/// (Per frame: a handful of comparisons, no allocation.)
public struct ReleaseDetector: Sendable {
    public struct Settings: Sendable {
        /// The level must fall by at least `minimumStep` dB at each of `steps` frames...
        public var steps = 4
        public var minimumStep: Float = 1
        /// ...and by `minimumFall` dB in all.
        public var minimumFall: Float = 6
        /// A rise this far above the lowest level since the release is a new attack (dB);
        /// a release tail only falls.
        public var recoveryRise: Float = 1.5
        /// A pitch this far from the released note's is a new note (semitones).
        public var newPitch: Float = 0.6

        public init() {}
    }

    public let settings: Settings
    private var levels: (Float, Float, Float, Float, Float, Float, Float, Float) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var count = 0
    public private(set) var released = false
    private var floor: Float = 0
    private var releasedPitch: Float = 0

    public init(settings: Settings = Settings()) {
        precondition(settings.steps >= 1 && settings.steps < 8, "at most 7 steps")
        self.settings = settings
    }

    public mutating func reset() { self = ReleaseDetector(settings: settings) }

    /// Feeds one frame's level (dBFS) and pitch (fractional MIDI; nil when unvoiced);
    /// returns whether the frame belongs to a release tail.
    public mutating func process(level: Float, pitch: Float?) -> Bool {
        withUnsafeMutableBytes(of: &levels) { $0.bindMemory(to: Float.self)[count % 8] = level }
        count += 1
        if released {
            floor = min(floor, level)
            if level > floor + settings.recoveryRise { released = false }
            if let pitch, abs(pitch - releasedPitch) > settings.newPitch { released = false }
            return released
        }
        guard let pitch, count > settings.steps else { return false }
        let falling = withUnsafeBytes(of: &levels) { raw -> Bool in
            let history = raw.bindMemory(to: Float.self)
            var later = level
            for back in 1...settings.steps {
                let earlier = history[(count - 1 - back) % 8]
                if earlier - later < settings.minimumStep { return false }
                later = earlier
            }
            return later - level >= settings.minimumFall
        }
        if falling {
            released = true
            floor = level
            releasedPitch = pitch
        }
        return released
    }
}
