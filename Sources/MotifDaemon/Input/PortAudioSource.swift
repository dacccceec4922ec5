import Foundation
import Synchronization
import Logging
import MotifAudio
import MotifConfig
import MotifCore

/// A PortAudio capture device, supervised: if the stream stops or errors (a USB interface
/// unplugged, an ALSA xrun that PortAudio cannot recover), it is closed and reopened with
/// exponential backoff (0.5 s doubling to 10 s), feeding the same ring, and the fault is
/// reported in status. The daemon never crashes on a device fault.
public final class PortAudioSource: AudioInput {
    public let name: String
    public let sampleRate: Double
    public let ring: SPSCRingBuffer
    private let configuration: PortAudioCapture.Configuration
    private let logger: Logger
    private let lock = NSLock()
    private var capture: PortAudioCapture?
    private var overflowsOfClosedStreams = 0
    private var reopens = 0
    private var fault: String?
    private let stopping = Atomic<Bool>(false)

    init(config: DaemonConfiguration, ringCapacity: Int, logger: Logger) {
        let device = config.input == "default" ? nil : config.input
        configuration = .init(device: device, channels: config.channels, channel: config.channel,
                              sampleRate: Double(config.sampleRate), framesPerBuffer: config.bufferFrames)
        name = config.input
        sampleRate = Double(config.sampleRate)
        ring = SPSCRingBuffer(capacity: ringCapacity)
        self.logger = logger
    }

    public var isFinished: Bool { false }
    public var deviceOverflows: Int { lock.withLock { overflowsOfClosedStreams + (capture?.inputOverflows ?? 0) } }
    public var reopenCount: Int { lock.withLock { reopens } }
    public var lastFault: String? { lock.withLock { fault } }

    /// Opens the device once (a first failure is an error for the operator) and starts
    /// the supervisor.
    public func start() throws {
        let opened = try PortAudioCapture(configuration: configuration, ring: ring)
        try opened.start()
        lock.withLock { capture = opened }
        logger.info("capturing from '\(opened.deviceName)' (\(opened.channels) ch, \(Int(sampleRate)) Hz)")
        let thread = Thread { [self] in supervise() }
        thread.name = "motifd-capture-supervisor"
        thread.start()
    }

    public func stop() {
        stopping.store(true, ordering: .releasing)
        lock.withLock {
            capture?.stop()
            capture = nil
        }
    }

    private func supervise() {
        var backoff = 0.5
        while !stopping.load(ordering: .acquiring) {
            usleep(250_000)
            let active = lock.withLock { capture?.isActive ?? false }
            if active || stopping.load(ordering: .acquiring) { backoff = 0.5; continue }
            lock.withLock {
                overflowsOfClosedStreams += capture?.inputOverflows ?? 0
                capture = nil  // closes the stream
                fault = "input stream stopped; reopening"
            }
            logger.warning("input '\(name)' stopped; reopening in \(backoff) s")
            usleep(useconds_t(backoff * 1_000_000))
            do {
                let reopened = try PortAudioCapture(configuration: configuration, ring: ring)
                try reopened.start()
                lock.withLock {
                    capture = reopened
                    reopens += 1
                    fault = nil
                }
                logger.info("input '\(name)' reopened")
                backoff = 0.5
            } catch {
                lock.withLock { fault = "\(error)" }
                logger.warning("cannot reopen input '\(name)': \(error)")
                backoff = min(10, backoff * 2)
            }
        }
    }
}
