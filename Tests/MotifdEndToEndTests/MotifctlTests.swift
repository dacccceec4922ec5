import Foundation
import XCTest

/// `motifctl`, the operator's client, against a real daemon fed audio on stdin.
final class MotifctlTests: XCTestCase {
    private var directory: URL!
    private var socketPath: String { directory.appendingPathComponent("motifd.sock").path }

    override func setUpWithError() throws {
        directory = URL(fileURLWithPath: "/tmp/motifctl-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testSubscribeWithFiltersStatusMotifsAndErrors() throws {
        let daemon = try DaemonProcess(executable: productURL("motifd", for: Self.self), arguments: [
            "--input", "-", "--format", "f32le", "--rate", "16000", "--library", SceneRenderer.libraryPath,
        ], socketPath: socketPath)
        XCTAssertTrue(daemon.waitUntilListening(), "daemon did not come up: \(daemon.errorOutput)")

        let sure = try Motifctl(["subscribe", "--socket", socketPath, "--events", "candidate,recognition",
                                 "--min-confidence", "0.99", "--format", "json"])
        XCTAssertNotNil(sure.waitForLine(containing: "\"subscribed\"", timeout: 10), sure.errorOutput)
        let human = try Motifctl(["subscribe", "--socket", socketPath, "--motif", "tag:composer:grieg"])
        let listening = human.waitForLine(containing: "listening for", timeout: 10)
        XCTAssertTrue(listening?.hasSuffix("listening for recognition of tag:composer:grieg") ?? false,
                      "\(listening ?? "") \(human.errorOutput)")

        let (music, _) = try SceneRenderer.render([("wagner.siegfried-horn", 2, 110), ("grieg.mountain-king", -3, 140)], rate: 16_000)
        // With a ground loop's hum under it (50 Hz and harmonics, 30 dB under the music).
        var audio = music
        for n in audio.indices {
            for k in 1...4 { audio[n] += Float(0.01 / Double(k) * sin(2 * Double.pi * 50 * Double(k * n) / 16_000)) }
        }
        daemon.writeAudio(audio)

        // Human format: the Grieg motif only, with its transposition.
        let line = human.waitForLine(containing: "grieg.mountain-king", timeout: 20)
        XCTAssertNotNil(line, human.errorOutput)
        XCTAssertTrue(line?.contains("-3 st") ?? false, line ?? "")
        // JSON with a confidence floor: both recognitions, and only events at the floor or over.
        XCTAssertNotNil(sure.waitForLine(containing: "\"motif\":\"grieg.mountain-king\"", where: { $0.contains("\"recognition\"") },
                                         timeout: 20))
        let events = sure.lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let scored = events.filter { ["candidate", "recognition"].contains($0["event"] as? String) }
        XCTAssertEqual(scored.filter { $0["event"] as? String == "recognition" }.map { $0["motif"] as? String },
                       ["wagner.siegfried-horn", "grieg.mountain-king"])
        for event in scored { XCTAssertGreaterThanOrEqual(event["confidence"] as? Double ?? 0, 0.99, "\(event)") }
        XCTAssertFalse(human.lines.contains { $0.contains("wagner") }, human.lines.joined(separator: "\n"))

        let status = try Motifctl(["status", "--socket", socketPath]).finish()
        XCTAssertEqual(status.code, 0)
        XCTAssertTrue(status.output.contains("recognitions 2"), status.output)
        XCTAssertTrue(status.output.contains("50 Hz mains hum filtered out"), status.output)
        let motifs = try Motifctl(["motifs", "--socket", socketPath]).finish()
        XCTAssertEqual(motifs.output.split(separator: "\n").count, 6, motifs.output)
        XCTAssertTrue(motifs.output.contains("grieg.mountain-king"), motifs.output)

        // Bad input: a one-line message and a failing exit status.
        let badFloor = try Motifctl(["subscribe", "--socket", socketPath, "--min-confidence", "2"]).finish()
        XCTAssertNotEqual(badFloor.code, 0)
        XCTAssertTrue(badFloor.error.contains("--min-confidence"), badFloor.error)
        let noDaemon = try Motifctl(["status", "--socket", directory.appendingPathComponent("none.sock").path]).finish()
        XCTAssertNotEqual(noDaemon.code, 0)
        XCTAssertTrue(noDaemon.error.contains("none.sock"), noDaemon.error)

        sure.stop()
        human.stop()
        XCTAssertEqual(daemon.terminate(), 0)
    }
}

/// A `motifctl` child process whose output is collected line by line as it comes.
private final class Motifctl {
    private let process = Process()
    private let lock = NSLock()
    private var stdoutData = Data()
    private var stderrData = Data()

    init(_ arguments: [String]) throws {
        process.executableURL = productURL("motifctl", for: MotifctlTests.self)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.lock.withLock { self?.stdoutData.append(data) }
        }
        err.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            self?.lock.withLock { self?.stderrData.append(data) }
        }
        try process.run()
    }

    var lines: [String] {
        lock.withLock { String(decoding: stdoutData, as: UTF8.self) }.split(separator: "\n").map(String.init)
    }

    var errorOutput: String { lock.withLock { String(decoding: stderrData, as: UTF8.self) } }

    func waitForLine(containing text: String, where extra: (String) -> Bool = { _ in true }, timeout: TimeInterval) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = lines.first(where: { $0.contains(text) && extra($0) }) { return line }
            if !process.isRunning { return lines.first { $0.contains(text) && extra($0) } }
            usleep(20_000)
        }
        return nil
    }

    /// Waits for a command that ends by itself (10 s at most).
    func finish() -> (code: Int32, output: String, error: String) {
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { stop() }
        process.waitUntilExit()
        usleep(50_000)  // the last output still in the pipes
        return (process.terminationStatus, lines.joined(separator: "\n"), errorOutput)
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}
