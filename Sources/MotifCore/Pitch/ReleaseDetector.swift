/// Tells when a note is being let go, so that its release tail is not called voiced.
///
/// A released note keeps ringing: a bowed or blown tone dies away over 100-200 ms and a
/// piano's over longer, and YIN hears the pitch all along. What marks the release is the
/// shape of the level: a steady fall, frame after frame, much faster than a piano's or a
/// harp's natural decay and steadier than a tremolo or a bow change. The tail then stays
/// unvoiced until the level rises again (a new attack), the pitch moves (a new note) or
/// the fall stops: a tail dies away, so a level that holds is a note sounding (a bowed or
/// sung note's slow attack under the last one's release, with no rise to show for it).
/// A release whose fall is uneven frame by frame (a damper, a synthesiser's release
/// stage over the sound's own beating) is found once it is deep: 12 dB under the level's
/// peak of the last 200 ms and still falling. (Per frame: a few dozen comparisons, no
/// allocation.)
///
/// Two levels per frame: the steady fall and the tail are read on the newest hop of
/// audio, whose level falls as soon as the note is let go (a level over a longer window
/// still holds the note's last loud stretch and falls a frame or two later); the deep
/// fall on a longer window, whose level does not ripple with a low note's cycles or a
/// tremolo's beats (on one hop it took dips within a note for a release).
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
        /// Or: the level this far (dB) under its peak of the last `peakFrames` frames...
        public var deepFall: Float = 12  // 0: off
        /// ...and still falling, by this much (dB) over the last two frames.
        public var stillFalling: Float = 2
        public var peakFrames = 20
        /// A release tail falls by at least `tailFall` dB over every `tailFrames` frames;
        /// a level that falls less has stopped falling: the tail is over.
        public var tailFrames = 4
        public var tailFall: Float = 1.5

        public init() {}
    }

    public let settings: Settings
    private var count = 0
    public private(set) var released = false
    private var floor: Float = 0
    private var releasedPitch: Float = 0
    private var releasedAt = 0
    /// The last `recentCapacity` levels, newest at `count - 1`...
    private var recent: [Float]
    /// ...and as many window levels.
    private var recentWindow: [Float]
    private static let recentCapacity = 32

    public init(settings: Settings = Settings()) {
        precondition(settings.steps >= 1 && settings.steps < Self.recentCapacity, "too many steps")
        precondition(settings.peakFrames >= 2 && settings.peakFrames < Self.recentCapacity, "peak window too long")
        precondition(settings.tailFrames >= 1 && settings.tailFrames < Self.recentCapacity, "tail window too long")
        self.settings = settings
        recent = [Float](repeating: -200, count: Self.recentCapacity)
        recentWindow = recent
    }

    public mutating func reset() { self = ReleaseDetector(settings: settings) }

    /// Feeds one frame's levels (dBFS: of its newest hop, and of a longer window, by
    /// default the same) and pitch (fractional MIDI; nil when unvoiced); returns whether
    /// the frame belongs to a release tail.
    public mutating func process(level: Float, windowLevel: Float? = nil, pitch: Float?) -> Bool {
        recent[count % Self.recentCapacity] = level
        recentWindow[count % Self.recentCapacity] = windowLevel ?? level
        count += 1
        if released {
            floor = min(floor, level)
            if level > floor + settings.recoveryRise { released = false }
            if let pitch, abs(pitch - releasedPitch) > settings.newPitch { released = false }
            if count - releasedAt >= settings.tailFrames,
               recent[(count - 1 - settings.tailFrames) % Self.recentCapacity] - level < settings.tailFall {
                released = false
            }
            return released
        }
        guard let pitch, count > settings.steps, isSteadyFall(level) || isDeepFall(windowLevel ?? level) else { return false }
        released = true
        releasedAt = count
        floor = level
        releasedPitch = pitch
        return true
    }

    /// `level` (the newest, already stored) ends `steps` falls of at least `minimumStep`
    /// each, `minimumFall` in all.
    private func isSteadyFall(_ level: Float) -> Bool {
        var later = level
        for back in 1...settings.steps {
            let earlier = recent[(count - 1 - back) % Self.recentCapacity]
            if earlier - later < settings.minimumStep { return false }
            later = earlier
        }
        return later - level >= settings.minimumFall
    }

    /// `level` (the newest window level, already stored) is `deepFall` under the peak of
    /// the `peakFrames` frames before it and `stillFalling` under the level two frames back.
    private func isDeepFall(_ level: Float) -> Bool {
        guard settings.deepFall > 0, count > settings.peakFrames else { return false }
        let capacity = Self.recentCapacity
        var peak: Float = -200
        for back in 2...(settings.peakFrames + 1) { peak = max(peak, recentWindow[(count - back) % capacity]) }
        let twoBack = recentWindow[(count - 3) % capacity]
        return level < peak - settings.deepFall && twoBack - level >= settings.stillFalling
    }
}
