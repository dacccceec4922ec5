import Foundation
import MotifAudio
import MotifCore

/// Replays an audio file in real time (a screening's soundtrack, a demo): a reader thread
/// decodes blocks and pushes each into the ring when the wall clock reaches its time.
public final class PacedFileSource: AudioInput {
    public let name: String
    public let sampleRate: Double
    public let ring: SPSCRingBuffer
    private let reader: AudioFileReader
    private let worker = InputReaderThread(name: "motifd-file-input")

    public init(path: String, ringSeconds: Double) throws {
        reader = try AudioFileReader(path: path, blockFrames: 512)
        name = "file:\(path)"
        sampleRate = Double(reader.sampleRate)
        ring = SPSCRingBuffer(capacity: max(4_096, Int(ringSeconds * sampleRate)))
    }

    public var isFinished: Bool { worker.isFinished }
    public var deviceOverflows: Int { 0 }
    public var reopenCount: Int { 0 }
    public var lastFault: String? { worker.lastFault }
    public func start() throws { worker.start { [self] in run() } }
    public func stop() { worker.stop() }

    private func run() {
        var block = [Float](repeating: 0, count: 512)
        let start = DispatchTime.now().uptimeNanoseconds
        var framesPushed = 0
        while !worker.isStopping {
            let count: Int
            do { count = try block.withUnsafeMutableBufferPointer { try reader.read(into: $0) } } catch {
                worker.fail("\(error)")
                break
            }
            if count == 0 { break }
            // Wait until this block's start time has come.
            let due = start + UInt64(Double(framesPushed) / sampleRate * 1e9)
            let now = DispatchTime.now().uptimeNanoseconds
            if due > now { usleep(useconds_t((due - now) / 1_000)) }
            block.withUnsafeBufferPointer { _ = ring.push(UnsafeBufferPointer(rebasing: $0[0..<count])) }
            framesPushed += count
        }
    }
}
