import Foundation
import Synchronization
import Logging
import MotifAudio
import MotifCore

/// The consumer side of live listening: one thread pops the input's ring buffer, resamples
/// to the analysis rate, runs the pipeline and hands events to the hub. It never blocks
/// on clients (the hub only queues), and it keeps the statistics `status` reports.
public final class ListenerEngine: @unchecked Sendable {
    public struct Statistics: Sendable {
        public var streamSeconds: Double = 0
        public var levelDB: Double = -120
        public var peakDB: Double = -120
        /// The mains hum being filtered out of the input (50 or 60 Hz), 0 for none.
        public var humHz = 0
        public var recognitions = 0
        public var notes = 0
        public var latencyP50: Double = 0   // ms to process one block
        public var latencyP99: Double = 0
    }

    public let input: AudioInput
    private let hub: EventHub
    private let logger: Logger
    private let pipeline: ListenerPipeline
    private let lock = NSLock()
    private var pendingSwap: (MotifLibrary, MotifMatcher)?
    private var stats = Statistics()
    private var latencies = [Double](repeating: 0, count: 1_024)  // ms, ring
    private var latencyCount = 0
    private let stopping = Atomic<Bool>(false)
    private let recognitionCount = Atomic<Int>(0)
    private let noteCount = Atomic<Int>(0)
    private let stopped = DispatchSemaphore(value: 0)
    private var started = false
    /// Called from the processing loop once per block (and while idle): the systemd
    /// watchdog hooks here, so it stops when the loop stalls.
    private var heartbeatHandler: (@Sendable () -> Void)?

    public func setHeartbeat(_ handler: @escaping @Sendable () -> Void) {
        lock.withLock { heartbeatHandler = handler }
    }

    public init(input: AudioInput, library: MotifLibrary, hub: EventHub, logger: Logger) {
        self.input = input
        self.hub = hub
        self.logger = logger
        pipeline = ListenerPipeline(library: library)
        // Candidates cost a look at the newest alignments a note; the hub sends them only
        // to clients that subscribed.
        pipeline.reportsCandidates = true
    }

    public var statistics: Statistics {
        lock.withLock {
            var copy = stats
            copy.recognitions = recognitionCount.load(ordering: .relaxed)
            copy.notes = noteCount.load(ordering: .relaxed)
            let count = min(latencyCount, latencies.count)
            if count > 0 {
                let sorted = latencies[0..<count].sorted()
                copy.latencyP50 = sorted[count / 2]
                copy.latencyP99 = sorted[min(count - 1, Int(Double(count) * 0.99))]
            }
            return copy
        }
    }

    /// Swaps the library at the next block boundary (the matcher is built here, off the
    /// processing thread).
    public func reload(_ library: MotifLibrary) {
        let matcher = MotifMatcher(library: library)
        lock.withLock { pendingSwap = (library, matcher) }
    }

    public func start() throws {
        let resampler = try StreamingResampler(inputRate: input.sampleRate, outputRate: Double(pipeline.settings.sampleRate),
                                               maxInputBlock: 4_096)
        let thread = Thread { [self] in run(resampler: resampler) }
        thread.name = "motifd-listener"
        thread.qualityOfService = .userInteractive
        started = true
        thread.start()
    }

    /// Stops the processing loop and waits for it.
    public func stop() {
        guard started else { return }
        stopping.store(true, ordering: .releasing)
        stopped.wait()
        started = false
    }

    private func run(resampler: StreamingResampler) {
        let block = UnsafeMutableBufferPointer<Float>.allocate(capacity: 4_096)
        defer { block.deallocate() }
        let source = EventJSONEncoder.escapedString(input.name)
        // Counted before publishing, so that a client that saw an event sees it in status.
        let emit: (ListenerEvent) -> Void = { [self] event in
            switch event {
            case .recognition: recognitionCount.wrappingAdd(1, ordering: .relaxed)
            case .note: noteCount.wrappingAdd(1, ordering: .relaxed)
            case .pitch, .candidate: break
            }
            hub.publish(event, escapedSource: source)
        }
        var endReported = false
        while !stopping.load(ordering: .acquiring) {
            let count = input.ring.pop(into: block)
            let (swap, heartbeat) = lock.withLock {
                defer { pendingSwap = nil }
                return (pendingSwap, heartbeatHandler)
            }
            if let swap { pipeline.replaceLibrary(swap.0, matcher: swap.1) }
            if count == 0 {
                if input.isFinished && !endReported {
                    endReported = true
                    resampler.finish { pipeline.process($0, emit: emit) }
                    pipeline.finish(emit: emit)
                    logger.info("input '\(input.name)' ended after \(String(format: "%.1f", pipeline.streamTime)) s")
                }
                lock.withLock { stats.streamSeconds = pipeline.streamTime }
                heartbeat?()
                usleep(4_000)  // the audio callback cannot signal us (no syscalls there): poll
                continue
            }
            let began = DispatchTime.now().uptimeNanoseconds
            var energy: Float = 0
            var peak: Float = 0
            for i in 0..<count {
                energy += block[i] * block[i]
                peak = max(peak, abs(block[i]))
            }
            resampler.process(UnsafeBufferPointer(rebasing: block[0..<count])) { pipeline.process($0, emit: emit) }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6
            lock.withLock {
                stats.streamSeconds = pipeline.streamTime
                stats.levelDB = 10 * log10(Double(energy) / Double(count) + 1e-12)
                stats.peakDB = 20 * log10(Double(peak) + 1e-6)
                stats.humHz = Int(pipeline.hum.humFrequency ?? 0)
                latencies[latencyCount % latencies.count] = elapsed
                latencyCount += 1
            }
            heartbeat?()
        }
        stopped.signal()
    }

}
