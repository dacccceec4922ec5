import Foundation
import Logging
import ServiceLifecycle

/// Runs the daemon under swift-service-lifecycle: up until SIGTERM or SIGINT asks for a
/// graceful shutdown, then stopped cleanly (clients closed, socket file removed).
/// SIGHUP reloads the library.
public struct DaemonService: Service {
    public let daemon: Daemon
    /// Called once capture runs and the socket is bound (systemd's READY=1 hooks here).
    public var onReady: (@Sendable (Daemon) -> Void)?
    public var onStopping: (@Sendable () -> Void)?

    public init(daemon: Daemon, onReady: (@Sendable (Daemon) -> Void)? = nil, onStopping: (@Sendable () -> Void)? = nil) {
        self.daemon = daemon
        self.onReady = onReady
        self.onStopping = onStopping
    }

    public func run() async throws {
        try daemon.start()
        signal(SIGHUP, SIG_IGN)
        let hangup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "motifd.sighup"))
        let daemon = self.daemon
        hangup.setEventHandler { _ = daemon.reloadLibrary() }
        hangup.resume()
        daemon.announceReady()
        onReady?(daemon)
        try? await gracefulShutdown()
        hangup.cancel()
        onStopping?()
        daemon.stop()
    }

    /// Runs until a termination signal.
    public static func runUntilSignalled(_ service: DaemonService, logger: Logger) async throws {
        let group = ServiceGroup(services: [service], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}
