import Foundation
import Logging
import MotifConfig
import MotifCore

/// Where live audio comes from. Each input has its own producer (PortAudio's callback
/// thread, or a reader thread) that writes mono samples at `sampleRate` into `ring`; the
/// listener engine is the single consumer.
public protocol AudioInput: AnyObject {
    /// How status reports the input ("motiftest", "file:demo.flac", "stdin").
    var name: String { get }
    var sampleRate: Double { get }
    var ring: SPSCRingBuffer { get }
    func start() throws
    func stop()
    /// True once a finite input (file, stdin) has delivered all it has.
    var isFinished: Bool { get }
    /// Buffers the device reported as overflowed before they reached the ring.
    var deviceOverflows: Int { get }
    /// Reopens after device faults, and the latest fault, for status.
    var reopenCount: Int { get }
    var lastFault: String? { get }
}

public struct InputError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Builds the input a configuration names.
public enum AudioInputFactory {
    public static func make(_ config: DaemonConfiguration, logger: Logger) throws -> AudioInput {
        let ringCapacity = max(4_096, Int(config.ringSeconds * Double(config.sampleRate)))
        if config.input == "-" {
            return StandardInputSource(format: config.format == "f32le" ? .float32 : .int16, sampleRate: Double(config.sampleRate),
                                       channels: max(1, config.channels), channel: config.channel,
                                       ringCapacity: ringCapacity)
        }
        if config.input.hasPrefix("file:") {
            return try PacedFileSource(path: String(config.input.dropFirst(5)), ringSeconds: config.ringSeconds)
        }
        return PortAudioSource(config: config, ringCapacity: ringCapacity, logger: logger)
    }
}
