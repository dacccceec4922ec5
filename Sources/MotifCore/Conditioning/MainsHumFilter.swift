import Foundation

/// Finds mains hum (50 or 60 Hz and its harmonics: a ground loop on a line input, a dimmer
/// near a microphone) and notches it out of the stream before the pitch tracker.
///
/// Hum 30 dB under the music already costs recognitions: its harmonics add periodicity
/// of their own to every YIN window, so a note's dip grows shallow. Detection runs on the
/// input (filtered or not), averaged down to 1 kHz (the harmonics sought all lie under
/// 500 Hz), in blocks of one second: the power at each harmonic k·f (k = 1 ...
/// `harmonics`, f = 50 and 60 Hz), Hann-windowed by Goertzel's recurrence, against the
/// power 4 Hz either side. Hum is a line: at least `minimumLines` harmonics of one
/// frequency `lineProminence` dB over both neighbours and over `audibleLevel`, in
/// `confirmBlocks` blocks running. (A note sits within a hertz of a mains multiple
/// seldom, and never for seconds on end while the notes around it change.) Then a
/// cascade of narrow notches (RBJ biquads, Q 30: 1.7 Hz wide at 50 Hz) takes out every
/// harmonic of that frequency, until `releaseBlocks` blocks have passed without hum.
/// Everything is allocated in `init`.
public final class MainsHumFilter {
    public struct Settings: Sendable {
        public var harmonics = 6
        public var minimumLines = 2
        public var lineProminence: Float = 12
        /// Lines quieter than this (dBFS of the windowed block's power) are left alone.
        public var audibleLevel: Float = -80
        public var confirmBlocks = 3
        public var releaseBlocks = 10
        public var notchQ: Float = 30

        public init() {}
    }

    public let settings: Settings
    public let sampleRate: Int
    /// The mains frequency being notched out (50 or 60), or nil.
    public private(set) var humFrequency: Float?

    /// The mains frequencies there are.
    private static let mainsFrequencies: [Float] = [50, 60]
    private static let neighbourOffset: Float = 4
    /// Goertzel probes: for each mains frequency and harmonic, the line and its two
    /// neighbours (index `(m * harmonics + k) * 3 + {0: line, 1: below, 2: above}`).
    private let probeCount: Int
    private let coefficients: UnsafeMutablePointer<Float>
    private let s1: UnsafeMutablePointer<Float>
    private let s2: UnsafeMutablePointer<Float>
    private let window: UnsafeMutablePointer<Float>
    private let blockLength: Int
    private var position = 0
    /// Samples averaged into one measured sample, and the running sum of the current ones.
    private let decimation: Int
    private var decimationSum: Float = 0
    private var decimationCount = 0
    private let windowPower: Float
    /// Blocks running with hum, per mains frequency.
    private let humBlocks: UnsafeMutablePointer<Int>
    private var quietBlocks = 0
    /// Notch biquads (b0, b1, b2, a1, a2 normalised) and their states (x1, x2, y1, y2).
    private let notchCoefficients: UnsafeMutablePointer<Float>
    private let notchState: UnsafeMutablePointer<Float>

    public init(sampleRate: Int, settings: Settings = Settings()) {
        self.settings = settings
        self.sampleRate = sampleRate
        decimation = max(1, sampleRate / 1_000)
        let measuredRate = Float(sampleRate) / Float(decimation)
        blockLength = sampleRate / decimation
        probeCount = Self.mainsFrequencies.count * settings.harmonics * 3
        coefficients = .allocate(capacity: probeCount)
        s1 = .allocate(capacity: probeCount)
        s1.initialize(repeating: 0, count: probeCount)
        s2 = .allocate(capacity: probeCount)
        s2.initialize(repeating: 0, count: probeCount)
        for m in 0..<Self.mainsFrequencies.count {
            for k in 0..<settings.harmonics {
                let line = Self.mainsFrequencies[m] * Float(k + 1)
                for (j, frequency) in [line, line - Self.neighbourOffset, line + Self.neighbourOffset].enumerated() {
                    coefficients[(m * settings.harmonics + k) * 3 + j] = 2 * cos(2 * .pi * frequency / measuredRate)
                }
            }
        }
        window = .allocate(capacity: blockLength)
        var sum: Float = 0
        for n in 0..<blockLength {
            window[n] = 0.5 - 0.5 * cos(2 * .pi * Float(n) / Float(blockLength))
            sum += window[n]
        }
        // A full-scale sine's line power, so that levels read in dBFS.
        windowPower = (sum / 2) * (sum / 2)
        notchCoefficients = .allocate(capacity: settings.harmonics * 5)
        notchCoefficients.initialize(repeating: 0, count: settings.harmonics * 5)
        notchState = .allocate(capacity: settings.harmonics * 4)
        notchState.initialize(repeating: 0, count: settings.harmonics * 4)
        humBlocks = .allocate(capacity: Self.mainsFrequencies.count)
        humBlocks.initialize(repeating: 0, count: Self.mainsFrequencies.count)
    }

    deinit {
        coefficients.deallocate()
        s1.deallocate()
        s2.deallocate()
        window.deallocate()
        notchCoefficients.deallocate()
        notchState.deallocate()
        humBlocks.deallocate()
    }

    public func reset() {
        s1.update(repeating: 0, count: probeCount)
        s2.update(repeating: 0, count: probeCount)
        notchState.update(repeating: 0, count: settings.harmonics * 4)
        position = 0
        decimationSum = 0
        decimationCount = 0
        humBlocks.update(repeating: 0, count: Self.mainsFrequencies.count)
        quietBlocks = 0
        humFrequency = nil
    }

    /// Listens to `count` samples for hum (call on every sample of the stream, in order,
    /// filtered out or not); `humFrequency` says whether to `filter` them.
    public func measure(_ input: UnsafePointer<Float>, count: Int) {
        var i = 0
        while i < count {
            if decimationCount == 0 && decimation == 16 && count - i >= 16 {
                // A whole group at once (the analysis rate, 16 kHz, averaged down to 1 kHz).
                measureAverage(UnsafeRawPointer(input + i).loadUnaligned(as: SIMD16<Float>.self).sum() / 16)
                i += 16
                continue
            }
            decimationSum += input[i]
            decimationCount += 1
            if decimationCount == decimation {
                measureAverage(decimationSum / Float(decimation))
                decimationSum = 0
                decimationCount = 0
            }
            i += 1
        }
    }

    /// Notches the hum out of `count` samples from `input` into `output` (which may be
    /// `input`); while none is found, copies them.
    public func filter(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>, count: Int) {
        guard humFrequency != nil else {
            output.update(from: input, count: count)
            return
        }
        for i in 0..<count { output[i] = notch(input[i]) }
    }

    /// One sample at the measuring rate.
    @inline(__always)
    private func measureAverage(_ x: Float) {
        let w = x * window[position]
        for p in 0..<probeCount {
            let s = w + coefficients[p] * s1[p] - s2[p]
            s2[p] = s1[p]
            s1[p] = s
        }
        position += 1
        if position == blockLength { endBlock() }
    }

    @inline(__always)
    private func notch(_ x: Float) -> Float {
        var value = x
        for k in 0..<settings.harmonics {
            let c = notchCoefficients + 5 * k, state = notchState + 4 * k
            let y = c[0] * value + c[1] * state[0] + c[2] * state[1] - c[3] * state[2] - c[4] * state[3]
            state[1] = state[0]
            state[0] = value
            state[3] = state[2]
            state[2] = y
            value = y
        }
        return value
    }

    private func endBlock() {
        var found: Float?
        for m in 0..<Self.mainsFrequencies.count {
            let mains = Self.mainsFrequencies[m]
            var lines = 0
            for k in 0..<settings.harmonics {
                let base = (m * settings.harmonics + k) * 3
                let line = power(base), below = power(base + 1), above = power(base + 2)
                let prominence = 10 * log10(line / max(max(below, above), 1e-30))
                let level = 10 * log10(line / windowPower + 1e-30)
                if prominence >= settings.lineProminence && level >= settings.audibleLevel { lines += 1 }
            }
            humBlocks[m] = lines >= settings.minimumLines ? humBlocks[m] + 1 : 0
            if humBlocks[m] >= settings.confirmBlocks { found = mains }
        }
        s1.update(repeating: 0, count: probeCount)
        s2.update(repeating: 0, count: probeCount)
        position = 0
        if let found {
            quietBlocks = 0
            if humFrequency != found { engage(found) }
        } else if humFrequency != nil {
            quietBlocks += 1
            if quietBlocks >= settings.releaseBlocks { humFrequency = nil }
        }
    }

    /// Goertzel's power at probe `p` for the block just ended.
    private func power(_ p: Int) -> Float {
        s1[p] * s1[p] + s2[p] * s2[p] - coefficients[p] * s1[p] * s2[p]
    }

    private func engage(_ mains: Float) {
        humFrequency = mains
        notchState.update(repeating: 0, count: settings.harmonics * 4)
        for k in 0..<settings.harmonics {
            let w0 = 2 * Float.pi * mains * Float(k + 1) / Float(sampleRate)
            let alpha = sin(w0) / (2 * settings.notchQ)
            let a0 = 1 + alpha
            let c = notchCoefficients + 5 * k
            c[0] = 1 / a0
            c[1] = -2 * cos(w0) / a0
            c[2] = 1 / a0
            c[3] = -2 * cos(w0) / a0
            c[4] = (1 - alpha) / a0
        }
    }
}
