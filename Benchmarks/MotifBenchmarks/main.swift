import Benchmark
import Foundation
import MotifAudio
import MotifCore

// Benchmarks of the hot paths. Each reports time per iteration; the custom counters give
// throughput as a real-time factor (audio seconds per second of one core).
// Data: the dev set beside the project (../shared/bench/dev), or BENCH_DATASET.

let dataset = ProcessInfo.processInfo.environment["BENCH_DATASET"] ?? "../shared/bench/dev"
let audioFiles: [String] = {
    let folder = dataset + "/audio"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasSuffix(".flac") }.sorted().map { folder + "/" + $0 }
}()

/// Keeps a result alive so the optimiser cannot drop the work that made it.
@inline(never)
func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }

/// Decodes and resamples one file to 16 kHz in 256-frame blocks; returns audio seconds.
func decodeAndResample(_ path: String, into sink: (UnsafeBufferPointer<Float>) -> Void) throws -> Double {
    let reader = try AudioFileReader(path: path, blockFrames: 256)
    let resampler = try StreamingResampler(inputRate: Double(reader.sampleRate), outputRate: 16_000, maxInputBlock: 256)
    var block = [Float](repeating: 0, count: 256)
    while true {
        let count = try block.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
        if count == 0 { break }
        block.withUnsafeBufferPointer { resampler.process(UnsafeBufferPointer(rebasing: $0[0..<count]), emit: sink) }
    }
    resampler.finish(emit: sink)
    return Double(reader.framesRead) / Double(reader.sampleRate)
}

/// 16 kHz audio of the whole dev set, decoded once for the DSP benchmarks.
let analysisAudio: [Float] = {
    var all: [Float] = []
    for file in audioFiles { _ = try? decodeAndResample(file) { all += $0 } }
    return all
}()

benchmark("ring buffer: push+pop 256-sample blocks, 1 s of 48 kHz audio") {
    let ring = SPSCRingBuffer(capacity: 1 << 14)
    let block = [Float](repeating: 0.5, count: 256)
    var out = [Float](repeating: 0, count: 256)
    for _ in 0..<(48_000 / 256) {
        block.withUnsafeBufferPointer { _ = ring.push($0) }
        _ = out.withUnsafeMutableBufferPointer { ring.pop(into: $0) }
    }
    blackHole(out)
}

benchmark("decode+resample: whole dev set (FLAC -> 16 kHz)") { state in
    var seconds = 0.0
    var samples = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for file in audioFiles { seconds += try decodeAndResample(file) { samples += $0.count } }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    state.counters["realtime_factor"] = seconds / elapsed
    blackHole(samples)
}

benchmark("pitch+notes: whole dev set at 16 kHz") { state in
    let estimator = StreamingPitchEstimator()
    var segmenter = NoteSegmenter(hopSeconds: 0.01)
    var notes = 0
    let start = DispatchTime.now().uptimeNanoseconds
    analysisAudio.withUnsafeBufferPointer { audio in
        var offset = 0
        while offset < audio.count {
            let count = min(256, audio.count - offset)
            estimator.process(UnsafeBufferPointer(rebasing: audio[offset..<offset + count])) { frame in
                segmenter.process(frame, onOnset: { _ in }, onNote: { _ in notes += 1 })
            }
            offset += count
        }
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    state.counters["realtime_factor"] = Double(analysisAudio.count) / 16_000 / elapsed
    blackHole(notes)
}

Benchmark.main()
