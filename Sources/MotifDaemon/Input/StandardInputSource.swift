import Foundation
import MotifCore

/// Raw PCM on standard input (`arecord ... | motifd run --input -`, ffmpeg, GStreamer):
/// interleaved little-endian s16 or f32 frames, mixed down (or one channel picked) and
/// pushed into the ring by a reader thread. The writer paces it; when the listener falls
/// behind, the reader waits for room in the ring, so the pipe applies backpressure and no
/// audio is lost.
public final class StandardInputSource: AudioInput {
    public enum SampleFormat: Sendable { case int16, float32 }

    public let name = "stdin"
    public let sampleRate: Double
    public let ring: SPSCRingBuffer
    private let format: SampleFormat
    private let channels: Int
    private let channel: Int?
    private let worker = InputReaderThread(name: "motifd-stdin-input")

    public init(format: SampleFormat, sampleRate: Double, channels: Int, channel: Int?, ringCapacity: Int) {
        self.format = format
        self.sampleRate = sampleRate
        self.channels = channels
        self.channel = channel
        ring = SPSCRingBuffer(capacity: ringCapacity)
    }

    public var isFinished: Bool { worker.isFinished }
    public var deviceOverflows: Int { 0 }
    public var reopenCount: Int { 0 }
    public var lastFault: String? { worker.lastFault }
    public func start() throws { worker.start { [self] in run() } }
    public func stop() { worker.stop() }

    private func run() {
        let bytesPerSample = format == .int16 ? 2 : 4
        let frameBytes = bytesPerSample * channels
        let framesPerRead = 1_024
        var bytes = [UInt8](repeating: 0, count: frameBytes * framesPerRead)
        var mono = [Float](repeating: 0, count: framesPerRead)
        var pending = 0  // bytes of an incomplete frame kept at the front
        while !worker.isStopping {
            let got = bytes.withUnsafeMutableBytes { raw in
                read(STDIN_FILENO, raw.baseAddress! + pending, raw.count - pending)
            }
            if got < 0 && errno == EINTR { continue }
            if got < 0 {
                worker.fail("stdin: \(String(cString: strerror(errno)))")
                break
            }
            if got == 0 { break }
            let available = pending + got
            let frames = available / frameBytes
            bytes.withUnsafeBytes { raw in
                for frame in 0..<frames {
                    var sum: Float = 0
                    for c in 0..<channels where channel == nil || channel == c {
                        let offset = frame * frameBytes + c * bytesPerSample
                        if format == .int16 {
                            sum += Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self))) / 32_768
                        } else {
                            let value = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                            sum += value.isFinite ? value : 0
                        }
                    }
                    mono[frame] = channel == nil ? sum / Float(channels) : sum
                }
            }
            // A pipe can wait: hold the writer back rather than drop (the ring never blocks,
            // so this thread waits for room instead).
            var offset = 0
            while offset < frames && !worker.isStopping {
                offset += mono.withUnsafeBufferPointer { ring.pushAvailable(UnsafeBufferPointer(rebasing: $0[offset..<frames])) }
                if offset < frames { usleep(1_000) }
            }
            pending = available - frames * frameBytes
            if pending > 0 {
                for i in 0..<pending { bytes[i] = bytes[frames * frameBytes + i] }
            }
        }
    }
}
