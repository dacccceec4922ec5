import Foundation
import MotifCore

/// Runs samples at the analysis rate through the pitch estimator and collects the frames.
func pitchFrames(of samples: [Float]) -> [PitchFrame] {
    let estimator = StreamingPitchEstimator()
    var frames: [PitchFrame] = []
    samples.withUnsafeBufferPointer { buffer in
        var offset = 0
        while offset < buffer.count {  // in capture-sized blocks
            let count = min(256, buffer.count - offset)
            estimator.process(UnsafeBufferPointer(rebasing: buffer[offset..<offset + count])) { frames.append($0) }
            offset += count
        }
    }
    return frames
}

func sine(frequency: Double, seconds: Double, amplitude: Float = 0.3, rate: Int = 16_000) -> [Float] {
    (0..<Int(seconds * Double(rate))).map { amplitude * Float(sin(2 * .pi * frequency * Double($0) / Double(rate))) }
}

func midi(_ frequency: Double) -> Float { Float(69 + 12 * log2(frequency / 440)) }

/// Deterministic white noise.
func noise(seconds: Double, amplitude: Float, seed: UInt64 = 1, rate: Int = 16_000) -> [Float] {
    var state = seed
    return (0..<Int(seconds * Double(rate))).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return amplitude * (Float(state >> 40) / Float(1 << 24) * 2 - 1)
    }
}

/// Synthesised notes at the analysis rate.
func render(_ events: [MelodySynthesizer.Event], _ timbre: MelodySynthesizer.Timbre, seconds: Double) -> [Float] {
    MelodySynthesizer(sampleRate: 16_000).render(events, timbre: timbre, seconds: seconds)
}
