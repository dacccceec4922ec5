import ArgumentParser
import Foundation

/// The command-line client of `motifd run`.
struct Motifctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motifctl",
        abstract: "Talk to a running motifd: subscribe to events, status, motifs, reload.",
        subcommands: [Subscribe.self, Status.self, Motifs.self, Reload.self]
    )
}

struct SocketOption: ParsableArguments {
    @Option(name: .long, help: "Daemon socket (default: $MOTIFD_SOCKET or /run/motifd/motifd.sock).")
    var socket: String?

    var path: String { socket ?? ProcessInfo.processInfo.environment["MOTIFD_SOCKET"] ?? "/run/motifd/motifd.sock" }
}

struct Subscribe: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print events as they happen (until interrupted).")

    @OptionGroup var connection: SocketOption

    @Option(name: .long, help: "Comma-separated: recognition, candidate, note, pitch, status.")
    var events: String = "recognition"

    @Option(name: .long, help: "Only these motifs: an id or tag:T (repeatable).")
    var motif: [String] = []

    @Option(name: .long, help: "Only recognitions and candidates at least this confident (0 to 1; see the README's calibration).")
    var minConfidence: Double = 0

    @Option(name: .long, help: "human or json.")
    var format: String = "human"

    func validate() throws {
        guard ["human", "json"].contains(format) else { throw ValidationError("--format is human or json") }
        guard (0...1).contains(minConfidence) else { throw ValidationError("--min-confidence is a number from 0 to 1") }
    }

    func run() throws {
        let client = try DaemonClient(path: connection.path)
        let request: [String: Any] = ["request": "subscribe", "events": events.split(separator: ",").map(String.init), "motifs": motif,
                                      "min_confidence": minConfidence]
        try client.send(request)
        while let line = try client.readLine() {
            guard let event = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            if event["event"] as? String == "error" {
                FileHandle.standardError.write(Data("motifctl: \(event["message"] ?? "error")\n".utf8))
                throw ExitCode(1)
            }
            if format == "json" {
                print(line)
            } else if let text = HumanFormat.describe(event) {
                print(text)
            }
            fflush(stdout)
        }
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the daemon's status.")
    @OptionGroup var connection: SocketOption
    @Flag(name: .long, help: "Print the raw JSON line.") var json = false

    func run() throws {
        let reply = try DaemonClient(path: connection.path).request(["request": "status"])
        if json { print(reply.line); return }
        let s = reply.object
        print("input        \(s["input"] ?? "?") at \(s["sample_rate"] ?? "?") Hz\(s["input_ended"] as? Bool == true ? " (ended)" : "")")
        let hum = (s["hum_hz"] as? Int).map { $0 > 0 ? "; \($0) Hz mains hum filtered out" : "" } ?? ""
        print("level        \(s["level_db"] ?? "?") dBFS (peak \(s["peak_db"] ?? "?"))\(hum)")
        print("motifs       \(s["motifs"] ?? "?"), recognitions \(s["recognitions"] ?? "?"), notes \(s["notes"] ?? "?")")
        print("latency      block processing p50 \(s["latency_p50_ms"] ?? "?") ms, p99 \(s["latency_p99_ms"] ?? "?") ms")
        print("overflows    ring \(s["overflows"] ?? 0) samples, device \(s["device_overflows"] ?? 0) buffers; dropped events \(s["dropped_events"] ?? 0)")
        print("clients      \(s["clients"] ?? "?"); uptime \(s["uptime"] ?? "?") s")
        if let fault = s["fault"] { print("fault        \(fault)") }
    }
}

struct Motifs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the daemon's motif library.")
    @OptionGroup var connection: SocketOption
    @Flag(name: .long, help: "Print the raw JSON line.") var json = false

    func run() throws {
        let reply = try DaemonClient(path: connection.path).request(["request": "motifs"])
        if json { print(reply.line); return }
        for motif in reply.object["motifs"] as? [[String: Any]] ?? [] {
            let tags = (motif["tags"] as? [String] ?? []).joined(separator: ", ")
            print("\(motif["id"] ?? "?")\t\(motif["label"] ?? "")\(tags.isEmpty ? "" : "\t[\(tags)]")")
        }
    }
}

struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reload the library (a bad one keeps the old).")
    @OptionGroup var connection: SocketOption

    func run() throws {
        let reply = try DaemonClient(path: connection.path).request(["request": "reload"])
        if reply.object["event"] as? String == "reloaded" {
            print("reloaded \(reply.object["motifs"] ?? "?") motifs")
        } else {
            FileHandle.standardError.write(Data("motifctl: \(reply.object["message"] ?? reply.line)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// Terminal-friendly lines for a concert: what, when, how sure.
enum HumanFormat {
    static func describe(_ event: [String: Any]) -> String? {
        let clock = (event["time"] as? String).map { String($0.dropFirst(11).prefix(8)) } ?? ""
        switch event["event"] as? String {
        case "recognition":
            let confidence = Int(((event["confidence"] as? Double) ?? 0) * 100)
            let transposition = event["transposition"] as? Int ?? 0
            let bpm = Int((event["bpm"] as? Double ?? 0).rounded())
            return "\(clock)  \(event["motif"] ?? "?")  \(confidence)%  \(transposition >= 0 ? "+" : "")\(transposition) st  \(bpm) bpm  (at \(format(event["start"])) s)"
        case "candidate":
            let confidence = Int(((event["confidence"] as? Double) ?? 0) * 100)
            return "\(clock)  \(event["motif"] ?? "?")?  \(event["notes"] ?? "?") of \(event["of"] ?? "?") notes  \(confidence)%  (from \(format(event["start"])) s)"
        case "note":
            return "\(clock)  note \(format(event["pitch"]))  \(format(event["start"]))-\(format(event["end"])) s"
        case "pitch":
            return "\(clock)  f0 \(format(event["f0"])) Hz  t \(format(event["t"]))"
        case "status":
            return "\(clock)  status: level \(event["level_db"] ?? "?") dBFS, \(event["recognitions"] ?? 0) recognitions, overflows \(event["overflows"] ?? 0)"
        case "dropped":
            return "\(clock)  (\(event["count"] ?? "?") events dropped: this terminal fell behind)"
        case "subscribed":
            // The operator's confirmation that the daemon took the subscription.
            let events = (event["events"] as? [String] ?? []).joined(separator: ", ")
            let motifs = event["motifs"] as? [String] ?? []
            let floor = event["min_confidence"] as? Double ?? 0
            return "\(clock)  listening for \(events)"
                + (motifs.isEmpty ? "" : " of \(motifs.joined(separator: ", "))")
                + (floor > 0 ? " at confidence \(Int((floor * 100).rounded()))% or more" : "")
        default:
            return nil
        }
    }

    static func format(_ value: Any?) -> String {
        guard let number = value as? Double else { return "\(value ?? "?")" }
        return String(format: "%.2f", number)
    }
}

/// A blocking JSON Lines client over a Unix socket.
final class DaemonClient {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard fd >= 0, bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw ValidationError("bad socket path \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            FileHandle.standardError.write(Data("motifctl: cannot connect to \(path): \(reason) (is motifd running?)\n".utf8))
            throw ExitCode(2)
        }
        _ = try readLine()  // hello
    }

    deinit { close(fd) }

    func send(_ request: [String: Any]) throws {
        var data = try JSONSerialization.data(withJSONObject: request)
        data.append(UInt8(ascii: "\n"))
        _ = data.withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func readLine() throws -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let count = read(fd, &chunk, chunk.count)
            if count <= 0 { return nil }
            buffer += chunk[0..<count]
        }
    }

    /// Sends a request and returns the first reply that is not an event stream line.
    func request(_ request: [String: Any]) throws -> (line: String, object: [String: Any]) {
        try send(request)
        guard let line = try readLine(), let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            FileHandle.standardError.write(Data("motifctl: the daemon closed the connection\n".utf8))
            throw ExitCode(2)
        }
        return (line, object)
    }
}

Motifctl.main()
