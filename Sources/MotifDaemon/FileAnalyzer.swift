import Foundation
import MotifAudio
import MotifCore

/// Runs audio files through the same streaming pipeline as live capture: decode (libsndfile)
/// and resample (libsoxr) in blocks, push each block through the SPSC ring buffer, and let
/// the consumer side pop and analyse it, exactly as the capture thread and the consumer
/// thread do live. Events go to `output` as JSON Lines.
public final class FileAnalyzer {
    public struct Summary: Sendable {
        /// NaN or infinite samples the reader replaced by silence.
        public var nonFiniteSamples: Int
    }

    public let pipeline: ListenerPipeline
    public let kinds: EventKinds
    /// Frames per block pushed into the ring buffer (as a capture callback would).
    public let blockFrames: Int
    private let ring: SPSCRingBuffer
    private let output: (UnsafeRawBufferPointer) -> Void
    private var encoder = EventJSONEncoder()

    public init(library: MotifLibrary, kinds: EventKinds, blockFrames: Int = 256,
                output: @escaping (UnsafeRawBufferPointer) -> Void) {
        pipeline = ListenerPipeline(library: library)
        pipeline.reportsCandidates = kinds.contains(.candidate)
        self.kinds = kinds
        self.blockFrames = blockFrames
        ring = SPSCRingBuffer(capacity: 1 << 16)
        self.output = output
    }

    /// Analyses one file. `source` is the path as the events should name it. Events for the
    /// audio before a read error are written before the error is thrown.
    public func analyze(path: String, source: String, progress: ((Double, Double) -> Void)? = nil) throws -> Summary {
        let reader = try AudioFileReader(path: path, blockFrames: blockFrames)
        let rate = Double(pipeline.settings.sampleRate)
        let resampler = try StreamingResampler(inputRate: Double(reader.sampleRate), outputRate: rate, maxInputBlock: blockFrames)
        pipeline.reset()
        let escapedSource = EventJSONEncoder.escapedString(source)
        let input = UnsafeMutableBufferPointer<Float>.allocate(capacity: blockFrames)
        let consumed = UnsafeMutableBufferPointer<Float>.allocate(capacity: blockFrames * 4)
        defer {
            input.deallocate()
            consumed.deallocate()
        }

        let emit: (ListenerEvent) -> Void = { [self] event in
            guard kinds.contains(event.kind) else { return }
            encoder.append(event, escapedSource: escapedSource)
        }
        // Producer: resampled blocks into the ring. Consumer: drain it into the pipeline.
        let pushAndDrain: (UnsafeBufferPointer<Float>) -> Void = { [self] block in
            var offset = 0
            while offset < block.count {
                offset += ring.push(UnsafeBufferPointer(rebasing: block[offset...]))
                while true {
                    let count = ring.pop(into: consumed)
                    if count == 0 { break }
                    pipeline.process(UnsafeBufferPointer(rebasing: consumed[0..<count]), emit: emit)
                }
            }
            if encoder.bytes.count >= 1 << 15 { flushOutput() }
        }

        var readError: Error?
        var lastProgress = 0.0
        while true {
            let count: Int
            do { count = try reader.read(into: input) } catch {
                readError = error
                break
            }
            if count == 0 { break }
            resampler.process(UnsafeBufferPointer(rebasing: input[0..<count]), emit: pushAndDrain)
            if let progress, pipeline.streamTime - lastProgress >= 5 {
                lastProgress = pipeline.streamTime
                progress(pipeline.streamTime, reader.duration)
            }
        }
        resampler.finish(emit: pushAndDrain)
        pipeline.finish(emit: emit)
        flushOutput()
        if let readError { throw readError }
        return Summary(nonFiniteSamples: reader.nonFiniteSamples)
    }

    private func flushOutput() {
        guard !encoder.bytes.isEmpty else { return }
        encoder.bytes.withUnsafeBytes { output($0) }
        encoder.removeAll()
    }
}
