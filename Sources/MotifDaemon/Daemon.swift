import Foundation
import Logging
import MotifConfig
import MotifCore

/// The live listener: input -> ring buffer -> engine -> hub -> socket clients.
/// `start` brings it up (socket bound and capture running), `reload` swaps the library
/// atomically, `stop` shuts it down and removes the socket file.
public final class Daemon: ControlDelegate, @unchecked Sendable {
    public let configuration: DaemonConfiguration
    public let logger: Logger
    public let hub = EventHub()
    public private(set) var input: AudioInput?
    private var engine: ListenerEngine?
    private var server: ControlServer?
    private let lock = NSLock()
    private var library: MotifLibrary
    private let startedAt = Date()
    private let reloadQueue = DispatchQueue(label: "motifd.reload")
    /// systemd notifications (no-ops outside systemd).
    public let notifier = SystemdNotifier()

    public init(configuration: DaemonConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        library = try MotifLibraryLoader.load(path: configuration.library)
        hub.setLibrary(library)
    }

    public var libraryCount: Int { lock.withLock { library.count } }
    public var inputName: String { input?.name ?? configuration.input }

    /// Opens the input, starts the engine, binds the socket. On failure nothing is left
    /// running.
    public func start() throws {
        let input = try AudioInputFactory.make(configuration, logger: logger)
        let engine = ListenerEngine(input: input, library: library, hub: hub, logger: logger)
        let server = ControlServer(path: configuration.socketPath, hub: hub, limits: .init(
            maxClients: configuration.maxClients, maxLineBytes: configuration.maxLineBytes,
            clientQueue: configuration.clientQueue, clientDropLimit: configuration.clientDropLimit,
            statusInterval: configuration.statusInterval), logger: logger)
        try server.start(delegate: self, mode: configuration.socketMode, groupName: configuration.socketGroup)
        do {
            try engine.start()
            try input.start()
        } catch {
            engine.stop()
            server.stop()
            throw error
        }
        self.input = input
        self.engine = engine
        self.server = server
        logger.info("listening: input '\(input.name)', \(libraryCount) motifs, socket \(configuration.socketPath)")
    }

    /// One line for systemd's STATUS=: input, library, recognitions so far.
    public var statusSummary: String {
        let stats = engine?.statistics ?? ListenerEngine.Statistics()
        var line = "input \(inputName), \(libraryCount) motifs, \(stats.recognitions) recognitions"
        if let fault = input?.lastFault { line += "; \(fault)" }
        return line
    }

    /// Tells systemd the daemon is ready and starts the watchdog heartbeat from the
    /// processing loop.
    public func announceReady() {
        let notifier = self.notifier
        engine?.setHeartbeat { [weak self] in
            notifier.heartbeat { self?.statusSummary ?? "" }
        }
        notifier.notify("READY=1\nSTATUS=listening: \(statusSummary)")
        notifier.notify("WATCHDOG=1")
    }

    public func stop() {
        notifier.notify("STOPPING=1\nSTATUS=stopping")
        input?.stop()
        engine?.stop()
        server?.stop()
        logger.info("stopped")
    }

    /// Reloads the library file; a bad library keeps the old one.
    public func reloadLibrary() -> Result<Int, LibraryError> {
        notifier.notify("RELOADING=1")
        defer { notifier.notify("READY=1\nSTATUS=\(statusSummary)") }
        do throws(LibraryError) {
            let fresh = try MotifLibraryLoader.load(path: configuration.library)
            lock.withLock { library = fresh }
            hub.setLibrary(fresh)
            engine?.reload(fresh)
            logger.info("reloaded \(fresh.count) motifs from \(configuration.library)")
            return .success(fresh.count)
        } catch {
            logger.error("reload refused, keeping \(libraryCount) motifs: \(error)")
            return .failure(error)
        }
    }

    // MARK: ControlDelegate

    public func helloLine() -> String {
        ClientRequests.json([
            "event": "hello", "version": DaemonVersion.string, "input": inputName,
            "sample_rate": Int(input?.sampleRate ?? Double(configuration.sampleRate)), "motifs": libraryCount,
            "time": WallClock.string(),
        ])
    }

    public func statusLine() -> String {
        let stats = engine?.statistics ?? ListenerEngine.Statistics()
        var object: [String: Any] = [
            "event": "status", "input": inputName,
            "sample_rate": Int(input?.sampleRate ?? 0),
            "level_db": (stats.levelDB * 10).rounded() / 10, "peak_db": (stats.peakDB * 10).rounded() / 10,
            "hum_hz": stats.humHz,
            "overflows": (input?.ring.overflowCount ?? 0), "device_overflows": input?.deviceOverflows ?? 0,
            "dropped_events": hub.droppedEvents, "clients": hub.clientCount,
            "uptime": (Date().timeIntervalSince(startedAt) * 10).rounded() / 10,
            "stream_seconds": (stats.streamSeconds * 10).rounded() / 10,
            "latency_p50_ms": (stats.latencyP50 * 1000).rounded() / 1000,
            "latency_p99_ms": (stats.latencyP99 * 1000).rounded() / 1000,
            "recognitions": stats.recognitions, "notes": stats.notes, "motifs": libraryCount,
            "input_ended": input?.isFinished ?? false, "reopens": input?.reopenCount ?? 0,
            "time": WallClock.string(),
        ]
        if let fault = input?.lastFault { object["fault"] = fault }
        return ClientRequests.json(object)
    }

    public func motifsLine() -> String {
        let motifs = lock.withLock { library.motifs }
        let list: [[String: Any]] = motifs.map { motif in
            var entry: [String: Any] = ["id": motif.id, "tags": motif.tags, "notes": motif.notes.count]
            if let label = motif.label { entry["label"] = label }
            return entry
        }
        return ClientRequests.json(["event": "motifs", "count": list.count, "motifs": list, "time": WallClock.string()])
    }

    public func reload(completion: @escaping @Sendable (String) -> Void) {
        reloadQueue.async { [self] in
            switch reloadLibrary() {
            case .success(let count):
                completion(ClientRequests.json(["event": "reloaded", "motifs": count, "time": WallClock.string()]))
            case .failure(let error):
                completion(ClientRequests.json([
                    "event": "error", "message": "reload refused, keeping the current library: \(error)",
                    "time": WallClock.string(),
                ]))
            }
        }
    }
}

public enum DaemonVersion {
    public static let string = "0.2.0"
}
