import Foundation

/// Frequency (Hz) of a fractional MIDI pitch (A4 = 69 = 440 Hz).
@inline(__always)
func frequency(ofMidi midi: Float) -> Float {
    440 * pow(2, (midi - 69) / 12)
}
