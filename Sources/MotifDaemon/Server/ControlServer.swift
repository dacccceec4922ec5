import Foundation
import Logging
import MotifCore
import NIOCore
import NIOPosix

/// What the socket protocol asks of the daemon.
public protocol ControlDelegate: AnyObject, Sendable {
    func helloLine() -> String
    func statusLine() -> String
    func motifsLine() -> String
    /// Reloads the library; the reply line (`reloaded` or `error`) goes to `completion`.
    func reload(completion: @escaping @Sendable (String) -> Void)
}

public struct ServerError: Error, CustomStringConvertible {
    public let description: String
}

/// The Unix-domain socket server: JSON Lines both ways (README, "Protocol").
public final class ControlServer: @unchecked Sendable {
    public let path: String
    private let group: MultiThreadedEventLoopGroup
    private var channel: Channel?
    private let hub: EventHub
    private let limits: Limits
    private let logger: Logger
    private var statusTask: RepeatedTask?
    /// True when systemd handed us the listening socket (socket activation): systemd owns
    /// the file, so we neither create, chmod nor remove it.
    public private(set) var socketActivated = false

    public struct Limits: Sendable {
        public var maxClients: Int
        public var maxLineBytes: Int
        public var clientQueue: Int
        public var clientDropLimit: Int
        public var statusInterval: Double

        public init(maxClients: Int, maxLineBytes: Int, clientQueue: Int, clientDropLimit: Int, statusInterval: Double) {
            self.maxClients = maxClients
            self.maxLineBytes = maxLineBytes
            self.clientQueue = clientQueue
            self.clientDropLimit = clientDropLimit
            self.statusInterval = statusInterval
        }
    }

    public init(path: String, hub: EventHub, limits: Limits, logger: Logger) {
        self.path = path
        self.hub = hub
        self.limits = limits
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Binds the socket (replacing a stale socket file, refusing a live one), applies
    /// mode and group, and starts accepting clients.
    public func start(delegate: ControlDelegate, mode: Int, groupName: String?) throws {
        let activated = Self.activatedSocket()
        if activated == nil { try Self.clearStaleSocket(at: path) }
        let hub = self.hub
        let limits = self.limits
        let logger = self.logger
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .childChannelInitializer { channel in
                channel.pipeline.addHandler(ConnectionHandler(hub: hub, delegate: delegate, limits: limits, logger: logger))
            }
        if let activated {
            do { channel = try bootstrap.withBoundSocket(activated).wait() } catch {
                throw ServerError(description: "cannot use the socket systemd passed (fd \(activated)): \(error)")
            }
            socketActivated = true
            logger.info("using the listening socket passed by systemd (fd \(activated))")
        } else {
            do {
                channel = try bootstrap.bind(unixDomainSocketPath: path).wait()
            } catch {
                throw ServerError(description: "cannot listen on \(path): \(error)")
            }
            try applyOwnership(mode: mode, groupName: groupName)
        }
        let interval = TimeAmount.milliseconds(Int64(limits.statusInterval * 1000))
        statusTask = group.next().scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            hub.broadcastStatus(delegate.statusLine())
        }
    }

    private func applyOwnership(mode: Int, groupName: String?) throws {
        guard chmod(path, mode_t(mode)) == 0 else {
            throw ServerError(description: "cannot set mode \(String(mode, radix: 8)) on \(path): \(String(cString: strerror(errno)))")
        }
        if let groupName {
            guard let entry = getgrnam(groupName) else { throw ServerError(description: "no group '\(groupName)' for \(path)") }
            guard chown(path, uid_t.max, entry.pointee.gr_gid) == 0 else {
                throw ServerError(description: "cannot give \(path) to group '\(groupName)': \(String(cString: strerror(errno)))")
            }
        }
    }

    /// sd_listen_fds: the first passed descriptor (3) when `LISTEN_PID` is this process.
    static func activatedSocket(environment: [String: String] = ProcessInfo.processInfo.environment) -> CInt? {
        guard let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
              let count = environment["LISTEN_FDS"].flatMap(Int.init), count >= 1 else { return nil }
        unsetenv("LISTEN_PID")
        unsetenv("LISTEN_FDS")
        unsetenv("LISTEN_FDNAMES")
        return 3
    }

    /// Stops accepting, closes every client and removes the socket file.
    public func stop() {
        statusTask?.cancel()
        try? channel?.close().wait()
        try? group.syncShutdownGracefully()
        if !socketActivated { unlink(path) }
    }

    /// A socket file nobody listens on is left over from a crash: remove it. One that
    /// answers belongs to a running daemon: refuse to steal it.
    static func clearStaleSocket(at path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw ServerError(description: "\(path) exists and is not a socket; not replacing it")
        }
        if UnixSocketProbe.isListening(path) {
            throw ServerError(description: "another motifd is already listening on \(path)")
        }
        unlink(path)
    }
}

/// Tries a connection to a Unix socket path.
enum UnixSocketProbe {
    static func isListening(_ path: String) -> Bool {
        guard let address = UnixSocketAddress(path) else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return address.withSockaddr { connect(fd, $0, $1) } == 0
    }
}
