import Foundation

/// sd_notify without libsystemd: a datagram to `$NOTIFY_SOCKET` (a path, or an abstract
/// socket when it starts with '@'). Also keeps the watchdog: `WATCHDOG=1` at half of
/// `$WATCHDOG_USEC`, sent only from the processing loop's heartbeat, so a stalled
/// pipeline (not just a dead process) gets restarted. Without `NOTIFY_SOCKET` every call
/// does nothing.
public final class SystemdNotifier: @unchecked Sendable {
    private let address: UnixSocketAddress?
    private let descriptor: Int32
    /// Seconds between watchdog pings (half the advertised timeout), or nil.
    public let watchdogInterval: Double?
    private let lock = NSLock()
    private var lastWatchdog: UInt64 = 0
    private var lastStatus: UInt64 = 0

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        address = environment["NOTIFY_SOCKET"].flatMap(UnixSocketAddress.init)
        descriptor = address == nil ? -1 : socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if let text = environment["WATCHDOG_USEC"], let micros = Double(text), micros > 0,
           environment["WATCHDOG_PID"].map({ Int32($0) == getpid() }) ?? true {
            watchdogInterval = micros / 2e6
        } else {
            watchdogInterval = nil
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    public var isEnabled: Bool { address != nil && descriptor >= 0 }

    /// Sends one notification such as "READY=1" or "STATUS=...".
    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let address, descriptor >= 0 else { return false }
        let bytes = Array(state.utf8)
        let sent = address.withSockaddr { socketAddress, length in
            bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), socketAddress, length) }
        }
        return sent == bytes.count
    }

    /// From the processing loop: pings the watchdog when due, and refreshes the status
    /// line every `statusEvery` seconds with `status()`.
    public func heartbeat(statusEvery: Double = 5, status: () -> String) {
        guard isEnabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let (ping, refresh) = lock.withLock { () -> (Bool, Bool) in
            var ping = false
            if let interval = watchdogInterval, Double(now &- lastWatchdog) / 1e9 >= interval {
                lastWatchdog = now
                ping = true
            }
            var refresh = false
            if Double(now &- lastStatus) / 1e9 >= statusEvery {
                lastStatus = now
                refresh = true
            }
            return (ping, refresh)
        }
        if ping { notify("WATCHDOG=1") }
        if refresh { notify("STATUS=\(status())") }
    }
}
