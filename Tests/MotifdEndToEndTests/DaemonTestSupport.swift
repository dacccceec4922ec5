import Foundation
import XCTest

/// The built executables next to the test bundle.
func productURL(_ name: String, for testCase: AnyClass) -> URL {
    if let path = ProcessInfo.processInfo.environment[name.uppercased()] { return URL(fileURLWithPath: path) }
    let bundle = Bundle(for: testCase).bundleURL
    let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
    return products.appendingPathComponent(name)
}

/// A `motifd run` child process.
final class DaemonProcess {
    let process = Process()
    let socketPath: String
    let stdin = Pipe()
    let stderr = Pipe()
    private var stderrData = Data()
    private let stderrLock = NSLock()

    init(executable: URL, arguments: [String], socketPath: String, environment: [String: String] = [:]) throws {
        self.socketPath = socketPath
        process.executableURL = executable
        process.arguments = ["run"] + arguments + ["--socket", socketPath]
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.stderrLock.withLock { self.stderrData.append(data) }
        }
        try process.run()
    }

    var errorOutput: String { stderrLock.withLock { String(decoding: stderrData, as: UTF8.self) } }

    /// Waits until the socket accepts connections (or the process dies).
    func waitUntilListening(timeout: TimeInterval = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if !process.isRunning { return false }
            if let client = try? TestClient(path: socketPath) { client.close(); return true }
            usleep(20_000)
        }
        return false
    }

    func writeAudio(_ samples: [Float]) {
        signal(SIGPIPE, SIG_IGN)  // a daemon that died must fail the test, not kill it
        samples.withUnsafeBufferPointer { stdin.fileHandleForWriting.write(Data(buffer: $0)) }
    }

    func closeInput() { try? stdin.fileHandleForWriting.close() }

    func terminate(signal: Int32 = SIGTERM, timeout: TimeInterval = 10) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A plain POSIX client of the daemon's socket, with timeouts.
final class TestClient {
    private var fd: Int32
    private var buffer: [UInt8] = []
    private(set) var hello: [String: Any] = [:]

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            Foundation.close(fd)
            throw NSError(domain: "TestClient", code: Int(errno))
        }
        guard let first = readEvent(timeout: 5) else { throw NSError(domain: "TestClient", code: -1) }
        hello = first
    }

    func close() {
        if fd >= 0 { Foundation.close(fd) }
        fd = -1
    }

    deinit { close() }

    func sendLine(_ text: String) { sendBytes(Array((text + "\n").utf8)) }

    func sendBytes(_ bytes: [UInt8]) {
        // MSG_NOSIGNAL: a closed connection is an error here, not a SIGPIPE.
        _ = bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func send(_ request: [String: Any]) {
        sendLine(String(decoding: try! JSONSerialization.data(withJSONObject: request), as: UTF8.self))
    }

    /// The next line, or nil on timeout or close.
    func readLine(timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { return nil }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, Int32(remaining * 1000)) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { return nil }
            buffer += chunk[0..<count]
        }
    }

    func readEvent(timeout: TimeInterval) -> [String: Any]? {
        guard let line = readLine(timeout: timeout) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// Reads events until one of type `event` (skipping others), or nil.
    func waitFor(_ event: String, timeout: TimeInterval) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            guard let next = readEvent(timeout: deadline.timeIntervalSinceNow) else { return nil }
            if next["event"] as? String == event { return next }
        }
        return nil
    }

    /// Every event up to and including the first `event` (all read by then if it does not come).
    func events(until event: String, timeout: TimeInterval) -> [[String: Any]] {
        var read: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0, let next = readEvent(timeout: deadline.timeIntervalSinceNow) {
            read.append(next)
            if next["event"] as? String == event { break }
        }
        return read
    }

    /// Sends a request and returns the first reply carrying its id.
    func request(_ request: [String: Any], timeout: TimeInterval = 5) -> [String: Any]? {
        var tagged = request
        let id = Int.random(in: 1...1_000_000)
        tagged["id"] = id
        send(tagged)
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            guard let next = readEvent(timeout: deadline.timeIntervalSinceNow) else { return nil }
            if next["id"] as? Int == id { return next }
        }
        return nil
    }
}
