import Foundation

/// Renders notes as simple harmonic tones (additive synthesis with an attack-decay-release
/// envelope). Used to make the demo recording and test signals whose truth is known.
public struct MelodySynthesizer {
    public struct Timbre: Sendable {
        /// Relative amplitudes of harmonics 1, 2, 3, ...
        public var harmonics: [Float]
        public var attack: Double
        public var release: Double
        /// Exponential decay rate while held (1/s); 0 for sustained instruments.
        public var decay: Double

        public init(harmonics: [Float], attack: Double, release: Double, decay: Double) {
            self.harmonics = harmonics
            self.attack = attack
            self.release = release
            self.decay = decay
        }

        public static let flute = Timbre(harmonics: [1, 0.4, 0.15, 0.05], attack: 0.03, release: 0.05, decay: 0)
        public static let clarinet = Timbre(harmonics: [1, 0.05, 0.6, 0.04, 0.35, 0.03, 0.2], attack: 0.02, release: 0.04, decay: 0)
        public static let plucked = Timbre(harmonics: [1, 0.7, 0.5, 0.35, 0.2, 0.1], attack: 0.004, release: 0.08, decay: 2.5)
        public static let brass = Timbre(harmonics: [0.6, 1, 0.8, 0.6, 0.45, 0.3, 0.2, 0.1], attack: 0.04, release: 0.05, decay: 0)
    }

    /// A note to render: MIDI pitch (fractional allowed), onset and length in seconds.
    public struct Event: Sendable {
        public var midi: Double
        public var start: Double
        public var duration: Double
        public var velocity: Float

        public init(midi: Double, start: Double, duration: Double, velocity: Float = 0.3) {
            self.midi = midi
            self.start = start
            self.duration = duration
            self.velocity = velocity
        }
    }

    public let sampleRate: Int

    public init(sampleRate: Int) { self.sampleRate = sampleRate }

    /// Adds the notes into a buffer of `seconds` (mono).
    public func render(_ events: [Event], timbre: Timbre, seconds: Double) -> [Float] {
        var out = [Float](repeating: 0, count: Int(seconds * Double(sampleRate)))
        let rate = Double(sampleRate)
        for event in events {
            let frequency = 440 * pow(2, (event.midi - 69) / 12)
            let first = Int(event.start * rate)
            let held = Int(event.duration * rate)
            let tail = Int(timbre.release * rate)
            let harmonics = timbre.harmonics.enumerated().filter { Double($0.offset + 1) * frequency < rate / 2 * 0.9 }
            for n in 0..<(held + tail) where first + n < out.count {
                let t = Double(n) / rate
                var envelope = min(1, t / timbre.attack) * exp(-timbre.decay * t)
                if n >= held { envelope *= max(0, 1 - Double(n - held) / Double(max(1, tail))) }
                var sample: Double = 0
                for (index, amplitude) in harmonics {
                    sample += Double(amplitude) * sin(2 * .pi * frequency * Double(index + 1) * t)
                }
                out[first + n] += Float(envelope * sample) * event.velocity
            }
        }
        return out
    }

    /// The events of a motif played at `transposition` semitones and `bpm`, from `start`.
    /// Notes last `legato` of their written length; rests stay silent.
    public static func events(of motif: Motif, transposition: Int, bpm: Double, start: Double, legato: Double = 0.9) -> [Event] {
        var events: [Event] = []
        var time = start
        let secondsPerBeat = 60 / bpm
        for note in motif.notes {
            let length = note.beats * secondsPerBeat
            if let midi = note.midi {
                events.append(Event(midi: Double(midi + transposition), start: time, duration: length * legato))
            }
            time += length
        }
        return events
    }

    /// Seconds a motif lasts at `bpm`.
    public static func duration(of motif: Motif, bpm: Double) -> Double {
        motif.notes.reduce(0) { $0 + $1.beats } * 60 / bpm
    }
}
