import Foundation
import XCTest

/// What systemd sees of motifd, tested without systemd as PID 1: sd_notify datagrams to a
/// real receiver, journald priority prefixes, and socket activation through
/// systemd-socket-activate.
final class SystemdIntegrationTests: XCTestCase {
    private var directory: URL!
    private var motifd: URL { productURL("motifd", for: Self.self) }

    override func setUpWithError() throws {
        directory = URL(fileURLWithPath: "/tmp/motifd-sd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A datagram socket bound like systemd's notify socket; collects what arrives.
    final class NotifyReceiver {
        let fd: Int32
        let name: String  // the NOTIFY_SOCKET value

        init(path: String, abstract: Bool) throws {
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            self.fd = fd
            name = abstract ? "@" + path : path
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(path.utf8)
            if abstract { bytes.insert(0, at: 0) }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
            let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
            }
            guard result == 0 else { throw NSError(domain: "bind", code: Int(errno)) }
        }

        deinit { close(fd) }

        /// Messages received within `seconds`, with their arrival times.
        func receive(for seconds: Double, until stop: ((String) -> Bool)? = nil) -> [(Date, String)] {
            var messages: [(Date, String)] = []
            let deadline = Date().addingTimeInterval(seconds)
            while deadline.timeIntervalSinceNow > 0 {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, Int32(max(1, deadline.timeIntervalSinceNow * 1000))) > 0 else { continue }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = recv(fd, &buffer, buffer.count, 0)
                guard count > 0 else { continue }
                let text = String(decoding: buffer[0..<count], as: UTF8.self)
                messages.append((Date(), text))
                if let stop, stop(text) { break }
            }
            return messages
        }
    }

    private func startDaemon(environment: [String: String], extra: [String] = []) throws -> DaemonProcess {
        try DaemonProcess(executable: motifd, arguments: ["--input", "-", "--format", "f32le", "--rate", "16000",
                                                          "--library", SceneRenderer.libraryPath] + extra,
                          socketPath: directory.appendingPathComponent("s.sock").path, environment: environment)
    }

    func testReadyStatusWatchdogAndStoppingReachTheNotifySocket() throws {
        let receiver = try NotifyReceiver(path: directory.appendingPathComponent("notify").path, abstract: false)
        let daemon = try startDaemon(environment: ["NOTIFY_SOCKET": receiver.name, "WATCHDOG_USEC": "400000"])
        let early = receiver.receive(for: 10) { $0.contains("READY=1") }
        XCTAssertTrue(early.contains { $0.1.contains("READY=1") }, "\(early.map(\.1)) \(daemon.errorOutput)")
        XCTAssertTrue(early.contains { $0.1.contains("STATUS=listening: input stdin, 6 motifs") }, "\(early.map(\.1))")
        // READY only once the socket accepts clients.
        XCTAssertNotNil(try? TestClient(path: daemon.socketPath))
        // Watchdog pings at half the advertised 0.4 s, from the processing loop.
        let pings = receiver.receive(for: 2).filter { $0.1.contains("WATCHDOG=1") }.map(\.0)
        XCTAssertGreaterThanOrEqual(pings.count, 7, "pings in 2 s")
        XCTAssertLessThanOrEqual(pings.count, 12)
        for (a, b) in zip(pings, pings.dropFirst()) { XCTAssertLessThan(b.timeIntervalSince(a), 0.4) }
        // Reload is announced, then ready again.
        kill(daemon.process.processIdentifier, SIGHUP)
        let reload = receiver.receive(for: 5) { $0.contains("READY=1") }.map(\.1)
        XCTAssertTrue(reload.contains { $0.contains("RELOADING=1") }, "\(reload)")
        kill(daemon.process.processIdentifier, SIGTERM)
        let last = receiver.receive(for: 5) { $0.contains("STOPPING=1") }.map(\.1)
        XCTAssertTrue(last.contains { $0.contains("STOPPING=1") }, "\(last)")
        XCTAssertEqual(daemon.terminate(), 0)
    }

    func testAbstractNotifySocket() throws {
        let receiver = try NotifyReceiver(path: "motifd-test-\(UUID().uuidString.prefix(8))", abstract: true)
        let daemon = try startDaemon(environment: ["NOTIFY_SOCKET": receiver.name])
        let messages = receiver.receive(for: 10) { $0.contains("READY=1") }.map(\.1)
        XCTAssertTrue(messages.contains { $0.contains("READY=1") }, "\(messages)")
        _ = daemon.terminate()
    }

    func testJournalPriorityPrefixesOnlyUnderJournald() throws {
        let journal = try startDaemon(environment: ["JOURNAL_STREAM": "8:12345"])
        XCTAssertTrue(journal.waitUntilListening())
        _ = journal.terminate()
        let lines = journal.errorOutput.split(separator: "\n")
        XCTAssertFalse(lines.isEmpty)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("<6>") || $0.hasPrefix("<4>") || $0.hasPrefix("<3>") }, journal.errorOutput)
        XCTAssertTrue(lines.contains { $0.hasPrefix("<6>listening: input 'stdin'") }, journal.errorOutput)

        try? FileManager.default.removeItem(atPath: journal.socketPath)
        let plain = try startDaemon(environment: [:])
        XCTAssertTrue(plain.waitUntilListening())
        _ = plain.terminate()
        XCTAssertFalse(plain.errorOutput.contains("<6>"), plain.errorOutput)
        XCTAssertTrue(plain.errorOutput.contains("info motifd: listening"), plain.errorOutput)
    }

    func testSocketActivation() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate") else {
            throw XCTSkip("systemd-socket-activate is not installed")
        }
        let socketPath = directory.appendingPathComponent("activated.sock").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-socket-activate")
        process.arguments = ["-l", socketPath, motifd.path, "run", "--input", "-", "--library", SceneRenderer.libraryPath,
                             "--socket", socketPath]
        let errors = Pipe()
        process.standardError = errors
        process.standardInput = Pipe()
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // The socket exists before motifd runs: systemd-socket-activate starts motifd on
        // the first connection, and that client is served.
        var client: TestClient?
        for _ in 0..<100 where client == nil {
            client = try? TestClient(path: socketPath)
            if client == nil { usleep(50_000) }
        }
        XCTAssertEqual(client?.hello["event"] as? String, "hello")
        XCTAssertEqual(client?.request(["request": "status"])?["event"] as? String, "status")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(log.contains("using the listening socket passed by systemd"), log)
    }
}
