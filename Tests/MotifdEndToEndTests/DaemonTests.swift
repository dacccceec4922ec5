import Foundation
import MotifTestSupport
import XCTest

/// `motifd run` as a real process, real socket clients, audio from stdin (paced by the
/// test), from a paced file, and from a real PortAudio device over ALSA.
final class DaemonTests: XCTestCase {
    private var directory: URL!
    private var socketPath: String { directory.appendingPathComponent("motifd.sock").path }
    private var motifd: URL { productURL("motifd", for: Self.self) }

    override func setUpWithError() throws {
        // Short path: Unix socket paths are limited to 107 bytes.
        directory = URL(fileURLWithPath: "/tmp/motifd-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func startStdinDaemon(library: String = SceneRenderer.libraryPath, extra: [String] = []) throws -> DaemonProcess {
        let daemon = try DaemonProcess(executable: motifd, arguments: [
            "--input", "-", "--format", "f32le", "--rate", "16000", "--library", library,
        ] + extra, socketPath: socketPath)
        XCTAssertTrue(daemon.waitUntilListening(), "daemon did not come up: \(daemon.errorOutput)")
        return daemon
    }

    func testRecognitionsReachEverySubscriberWithFilters() throws {
        let daemon = try startStdinDaemon()
        let all = try TestClient(path: socketPath)
        XCTAssertEqual(all.hello["event"] as? String, "hello")
        XCTAssertEqual(all.hello["motifs"] as? Int, 6)
        XCTAssertEqual(all.request(["request": "subscribe", "events": ["recognition"]])?["event"] as? String, "subscribed")
        let onlyGrieg = try TestClient(path: socketPath)
        XCTAssertNotNil(onlyGrieg.request(["request": "subscribe", "events": ["recognition"], "motifs": ["tag:composer:grieg"]]))
        let notes = try TestClient(path: socketPath)
        XCTAssertNotNil(notes.request(["request": "subscribe", "events": ["note"]]))
        let anticipating = try TestClient(path: socketPath)
        XCTAssertNotNil(anticipating.request(["request": "subscribe", "events": ["candidate", "recognition"],
                                              "motifs": ["grieg.mountain-king"]]))
        let confident = try TestClient(path: socketPath)
        let floor = 0.99
        let subscribed = confident.request(["request": "subscribe", "events": ["candidate", "recognition"],
                                            "motifs": ["grieg.mountain-king"], "min_confidence": floor])
        XCTAssertEqual(subscribed?["min_confidence"] as? Double, floor)

        let (audio, starts) = try SceneRenderer.render([("wagner.siegfried-horn", 2, 110), ("grieg.mountain-king", -3, 140)], rate: 16_000)
        daemon.writeAudio(audio)

        let first = all.waitFor("recognition", timeout: 20)
        let second = all.waitFor("recognition", timeout: 20)
        XCTAssertEqual(first?["motif"] as? String, "wagner.siegfried-horn")
        XCTAssertEqual(first?["transposition"] as? Int, 2)
        XCTAssertEqual(first?["start"] as? Double ?? 0, starts[0], accuracy: 0.06)
        XCTAssertEqual(second?["motif"] as? String, "grieg.mountain-king")
        XCTAssertEqual(second?["transposition"] as? Int, -3)
        XCTAssertNotNil(first?["time"] as? String, "events carry wall-clock time")
        XCTAssertEqual(first?["source"] as? String, "stdin")

        let filtered = onlyGrieg.waitFor("recognition", timeout: 20)
        XCTAssertEqual(filtered?["motif"] as? String, "grieg.mountain-king")
        XCTAssertNotNil(notes.waitFor("note", timeout: 5))
        // The motif announced before it is complete: its candidates come first, then the
        // recognition (and the other motif, filtered out, never).
        let announced = anticipating.events(until: "recognition", timeout: 5)
        let candidate = announced.first
        XCTAssertEqual(candidate?["event"] as? String, "candidate")
        XCTAssertEqual(candidate?["motif"] as? String, "grieg.mountain-king")
        XCTAssertLessThan(candidate?["notes"] as? Int ?? 99, candidate?["of"] as? Int ?? 0)
        XCTAssertEqual(candidate?["transposition"] as? Int, -3)
        XCTAssertLessThan(candidate?["emitted"] as? Double ?? 99, filtered?["emitted"] as? Double ?? 0)
        XCTAssertEqual(announced.last?["event"] as? String, "recognition")
        XCTAssertEqual(announced.last?["motif"] as? String, "grieg.mountain-king")
        // With a confidence floor: the same events, less those under it.
        func summary(_ events: [[String: Any]]) -> [String] {
            events.map { "\($0["event"] ?? "?") \($0["notes"] ?? "?") \($0["confidence"] ?? "?")" }
        }
        let sure = confident.events(until: "recognition", timeout: 5)
        let expected = announced.filter { ($0["confidence"] as? Double ?? 0) >= floor }
        XCTAssertEqual(summary(sure), summary(expected))
        XCTAssertLessThan(expected.count, announced.count, "some candidates are under the floor: \(summary(announced))")
        XCTAssertEqual(sure.last?["event"] as? String, "recognition")

        let status = all.request(["request": "status"])
        XCTAssertEqual(status?["event"] as? String, "status")
        XCTAssertEqual(status?["recognitions"] as? Int, 2)
        XCTAssertEqual(status?["overflows"] as? Int, 0, "a pipe is never dropped")
        XCTAssertEqual(status?["clients"] as? Int, 5)
        XCTAssertEqual(status?["hum_hz"] as? Int, 0, "a synthesised scene has no hum to filter")
        XCTAssertEqual(daemon.terminate(), 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: socketPath), "socket removed on SIGTERM")
    }

    func testBadRequestsGetErrorsAndTheConnectionStaysUsable() throws {
        let daemon = try startStdinDaemon()
        let client = try TestClient(path: socketPath)
        let cases: [[UInt8]] = [
            Array("this is not json\n".utf8),
            Array("[1,2,3]\n".utf8),
            Array("{\"request\":\"dance\"}\n".utf8),
            Array("{\"request\":\"subscribe\",\"events\":[\"chords\"]}\n".utf8),
            Array("{\"no\":\"request\"}\n".utf8),
            Array("{\"request\":\"subscribe\",\"min_confidence\":1.5}\n".utf8),
            Array("{\"request\":\"subscribe\",\"min_confidence\":true}\n".utf8),
            [0x00, 0xFF, 0xFE, 0x81, 0x0A],
            Array(repeating: UInt8(ascii: "x"), count: 70_000) + [0x0A],
        ]
        for bytes in cases {
            client.sendBytes(bytes)
            let reply = client.readEvent(timeout: 5)
            XCTAssertEqual(reply?["event"] as? String, "error", "reply to \(bytes.prefix(30))")
            XCTAssertFalse((reply?["message"] as? String ?? "").isEmpty)
        }
        XCTAssertEqual(client.request(["request": "status"])?["event"] as? String, "status")
        XCTAssertEqual(client.request(["request": "ping"])?["event"] as? String, "pong")
        let motifs = client.request(["request": "motifs"])
        XCTAssertEqual((motifs?["motifs"] as? [[String: Any]])?.count, 6)
        _ = daemon.terminate()
    }

    func testHundredClientsAndAStalledOneDoNotSlowTheListener() throws {
        // Per-client queues of about a second at this rate (reader threads of a loaded
        // machine pause that long), small enough that the stalled client overflows its own
        // within seconds.
        let config = directory.appendingPathComponent("motifd.toml")
        try "[socket]\nclient_queue = 1024\nclient_drop_limit = 1000\n".write(to: config, atomically: true, encoding: .utf8)
        let daemon = try startStdinDaemon(extra: ["--config", config.path])
        var clients: [TestClient] = []
        for _ in 0..<100 {
            let client = try TestClient(path: socketPath)
            XCTAssertNotNil(client.request(["request": "subscribe", "events": ["pitch"]]))
            clients.append(client)
        }
        let stalled = try TestClient(path: socketPath)  // subscribes, then never reads
        XCTAssertNotNil(stalled.request(["request": "subscribe", "events": ["pitch", "note"]]))

        // 60 s of audio written at 10 times real time: 1,000 events a second per client.
        let seconds = 60
        let audio = (0..<(seconds * 16_000)).map { Float(0.2 * sin(2 * .pi * 330 * Double($0) / 16_000)) }
        let writer = Thread {
            var offset = 0
            while offset < audio.count {
                let end = min(audio.count, offset + 8_000)
                daemon.writeAudio(Array(audio[offset..<end]))
                offset = end
                usleep(50_000)
            }
        }
        writer.start()
        // Each reader thread writes only its own slot, and the counts are read after all
        // have finished.
        nonisolated(unsafe) let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: clients.count)
        counts.initialize(repeating: 0)
        defer { counts.deallocate() }
        nonisolated(unsafe) let readers = clients  // each thread reads its own client only
        // One thread per client, as separate client processes would read.
        let group = DispatchGroup()
        for index in 0..<clients.count {
            group.enter()
            Thread {
            defer { group.leave() }
            var frames = 0
            var ordered = true
            // Lines are checked by text, not parsed: the test's own clients must keep up.
            while frames < seconds * 100 - 5, let line = readers[index].readLine(timeout: 15) {
                if line.contains("\"dropped\"") { ordered = false }
                guard line.hasPrefix("{\"event\":\"pitch\"") else { continue }
                // Frame k is stamped k * 10 ms: "t":<k/100> in order, none missing.
                if !line.contains(String(format: "\"t\":%.3f,", Double(frames) / 100)) { ordered = false }
                frames += 1
            }
            counts[index] = ordered ? frames : -1
            }.start()
        }
        group.wait()
        for index in 0..<clients.count {
            XCTAssertGreaterThanOrEqual(counts[index], seconds * 100 - 5, "client \(index) got every frame in order")
        }
        let status = clients[1].request(["request": "status"], timeout: 10)
        XCTAssertEqual(status?["overflows"] as? Int, 0)
        XCTAssertGreaterThan(status?["dropped_events"] as? Int ?? 0, 1000, "the stalled client lost its oldest events")
        XCTAssertEqual(status?["clients"] as? Int, 100, "past the drop limit the stalled client was disconnected")
        // The stalled connection was closed: what it had buffered drains, then nothing.
        var buffered = 0
        while stalled.readLine(timeout: 3) != nil { buffered += 1 }
        XCTAssertNil(stalled.request(["request": "ping"], timeout: 2), "stalled client disconnected")
        _ = daemon.terminate()
    }

    func testReloadKeepsTheOldLibraryWhenTheNewOneIsBroken() throws {
        let library = directory.appendingPathComponent("lib.toml")
        try FileManager.default.copyItem(atPath: SceneRenderer.libraryPath, toPath: library.path)
        let daemon = try startStdinDaemon(library: library.path)
        let client = try TestClient(path: socketPath)
        // A good reload with one motif fewer.
        let text = try String(contentsOf: library, encoding: .utf8)
        let fewer = text.components(separatedBy: "[[motif]]").dropLast().joined(separator: "[[motif]]")
        try fewer.write(to: library, atomically: true, encoding: .utf8)
        let reloaded = client.request(["request": "reload"])
        XCTAssertEqual(reloaded?["event"] as? String, "reloaded")
        XCTAssertEqual(reloaded?["motifs"] as? Int, 5)
        // A broken one: refused with the reason, the 5 stay.
        try (fewer + "\n[[motif]]\nid = \"broken\"\nnotes = \"C4:1 X9:1 E4:1\"\n").write(to: library, atomically: true, encoding: .utf8)
        let refused = client.request(["request": "reload"])
        XCTAssertEqual(refused?["event"] as? String, "error")
        XCTAssertTrue((refused?["message"] as? String ?? "").contains("X9:1"), "\(String(describing: refused))")
        XCTAssertEqual(client.request(["request": "status"])?["motifs"] as? Int, 5)
        // SIGHUP reloads as well.
        try text.write(to: library, atomically: true, encoding: .utf8)
        kill(daemon.process.processIdentifier, SIGHUP)
        var motifs = 0
        for _ in 0..<50 where motifs != 6 {
            usleep(50_000)
            motifs = client.request(["request": "status"])?["motifs"] as? Int ?? 0
        }
        XCTAssertEqual(motifs, 6)
        // Recognition still works after the reloads, with no audio lost.
        XCTAssertNotNil(client.request(["request": "subscribe", "events": ["recognition"]]))
        daemon.writeAudio(try SceneRenderer.render([("beethoven.ode-to-joy", 5, 150)], rate: 16_000).samples)
        XCTAssertEqual(client.waitFor("recognition", timeout: 20)?["motif"] as? String, "beethoven.ode-to-joy")
        _ = daemon.terminate()
    }

    func testSecondDaemonIsRefusedAndAStaleSocketIsReplaced() throws {
        let first = try startStdinDaemon()
        let second = try DaemonProcess(executable: motifd, arguments: [
            "--input", "-", "--library", SceneRenderer.libraryPath,
        ], socketPath: socketPath)
        second.process.waitUntilExit()
        XCTAssertNotEqual(second.process.terminationStatus, 0)
        XCTAssertTrue(second.errorOutput.contains("already listening"), second.errorOutput)
        // A crash leaves the socket file behind; the next daemon replaces it, and a
        // client reconnects.
        _ = first.terminate(signal: SIGKILL)
        XCTAssertTrue(FileManager.default.fileExists(atPath: socketPath))
        let third = try startStdinDaemon()
        let client = try TestClient(path: socketPath)
        XCTAssertEqual(client.request(["request": "status"])?["event"] as? String, "status")
        XCTAssertEqual(third.terminate(), 0)
    }

    func testClientLimitAndStartupErrors() throws {
        let config = directory.appendingPathComponent("limits.toml")
        try "[socket]\nmax_clients = 2\n".write(to: config, atomically: true, encoding: .utf8)
        let daemon = try startStdinDaemon(extra: ["--config", config.path])
        let first = try TestClient(path: socketPath), second = try TestClient(path: socketPath)
        // A third is told why and disconnected.
        let third = try TestClient(path: socketPath)
        XCTAssertEqual(third.hello["event"] as? String, "error")
        XCTAssertTrue((third.hello["message"] as? String ?? "").contains("too many clients"))
        XCTAssertNil(third.request(["request": "ping"], timeout: 2))
        XCTAssertEqual(first.request(["request": "ping"])?["event"] as? String, "pong")
        XCTAssertEqual(second.request(["request": "ping"])?["event"] as? String, "pong")
        _ = daemon.terminate()

        // A missing library or device: a one-line reason and a non-zero exit, no socket left.
        for (arguments, reason) in [(["--input", "-", "--library", "/nonexistent/motifs.toml"], "no such file"),
                                    (["--input", "no-such-device", "--library", SceneRenderer.libraryPath], "no capture device named 'no-such-device'")] {
            let failing = try DaemonProcess(executable: motifd, arguments: arguments, socketPath: socketPath,
                                            environment: ["JACK_NO_START_SERVER": "1"])
            failing.process.waitUntilExit()
            XCTAssertNotEqual(failing.process.terminationStatus, 0)
            XCTAssertTrue(failing.errorOutput.contains(reason), failing.errorOutput)
            XCTAssertFalse(FileManager.default.fileExists(atPath: socketPath))
        }
    }

    func testPacedFileInputAndReplayForLateSubscribers() throws {
        let (audio, _) = try SceneRenderer.render([("grieg.mountain-king", 1, 180)], rate: 16_000, leadIn: 0.2)
        let file = directory.appendingPathComponent("scene.wav").path
        try writeWAV(audio, rate: 16_000, to: file)
        let daemon = try DaemonProcess(executable: motifd, arguments: ["--input", "file:\(file)", "--library", SceneRenderer.libraryPath],
                                       socketPath: socketPath)
        XCTAssertTrue(daemon.waitUntilListening(), daemon.errorOutput)
        let started = Date()
        let client = try TestClient(path: socketPath)
        XCTAssertNotNil(client.request(["request": "subscribe", "events": ["recognition"]]))
        let recognition = client.waitFor("recognition", timeout: 30)
        XCTAssertEqual(recognition?["motif"] as? String, "grieg.mountain-king")
        // Paced: the recognition comes when its audio has played, not before.
        let emitted = recognition?["emitted"] as? Double ?? 0
        XCTAssertGreaterThan(Date().timeIntervalSince(started), emitted - 1.0)
        // A client arriving later asks for a replay of what it missed.
        let late = try TestClient(path: socketPath)
        XCTAssertNotNil(late.request(["request": "subscribe", "events": ["recognition"], "replay": 10]))
        XCTAssertEqual(late.waitFor("recognition", timeout: 5)?["motif"] as? String, "grieg.mountain-king")
        _ = daemon.terminate()
    }

    private func writeWAV(_ samples: [Float], rate: Int, to path: String) throws {
        var data = Data()
        func append<T>(_ value: T) { withUnsafeBytes(of: value) { data.append(contentsOf: $0) } }
        let bytes = samples.count * 2
        data.append(contentsOf: Array("RIFF".utf8)); append(UInt32(36 + bytes).littleEndian)
        data.append(contentsOf: Array("WAVEfmt ".utf8)); append(UInt32(16).littleEndian); append(UInt16(1).littleEndian)
        append(UInt16(1).littleEndian); append(UInt32(rate).littleEndian); append(UInt32(rate * 2).littleEndian)
        append(UInt16(2).littleEndian); append(UInt16(16).littleEndian)
        data.append(contentsOf: Array("data".utf8)); append(UInt32(bytes).littleEndian)
        for sample in samples { append(Int16(max(-1, min(1, sample)) * 32_767).littleEndian) }
        try data.write(to: URL(fileURLWithPath: path))
    }
}

/// The daemon capturing through real PortAudio (ALSA backend) from an ALSA `file` device.
/// That device is not paced: it delivers the recording as fast as it is read, then stale
/// data. The ring is made large enough for the whole recording, so its first fill is the
/// recording in order; what comes after it overflows and is counted. The recognitions
/// come before the client can connect, so it asks for a replay.
final class DaemonCaptureTests: XCTestCase {
    func testRecognisesMotifsCapturedThroughPortAudio() throws {
        let directory = URL(fileURLWithPath: "/tmp/motifd-alsa-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (audio, starts) = try SceneRenderer.render([("wagner.valkyries", -2, 120), ("beethoven.ode-to-joy", 7, 160)], rate: 16_000)
        let environment = try ALSAFileDevice.install(audio, in: directory)
        let socket = directory.appendingPathComponent("s.sock").path
        let seconds = Double(audio.count) / 16_000
        let daemon = try DaemonProcess(
            executable: productURL("motifd", for: Self.self),
            arguments: ["--input", ALSAFileDevice.name, "--rate", "16000", "--channels", "1", "--buffer-frames", "256",
                        "--ring-seconds", String(seconds + 5), "--library", SceneRenderer.libraryPath],
            socketPath: socket,
            environment: environment)
        XCTAssertTrue(daemon.waitUntilListening(), daemon.errorOutput)
        let client = try TestClient(path: socket)
        XCTAssertEqual(client.hello["input"] as? String, ALSAFileDevice.name)
        XCTAssertEqual(client.hello["sample_rate"] as? Int, 16_000)
        // Let the listener get through the ring's first fill.
        var status = client.request(["request": "status"])
        for _ in 0..<100 where (status?["stream_seconds"] as? Double ?? 0) < seconds {
            usleep(100_000)
            status = client.request(["request": "status"])
        }
        XCTAssertNotNil(client.request(["request": "subscribe", "events": ["recognition"], "replay": 10]))
        var found: [[String: Any]] = []
        while found.count < 2, let event = client.waitFor("recognition", timeout: 5) { found.append(event) }
        XCTAssertEqual(found.map { $0["motif"] as? String }, ["wagner.valkyries", "beethoven.ode-to-joy"])
        XCTAssertEqual(found.map { $0["transposition"] as? Int }, [-2, 7])
        for (event, start) in zip(found, starts) { XCTAssertEqual(event["start"] as? Double ?? 0, start, accuracy: 0.06) }
        // The unpaced device overran the ring after the recording: counted, not fatal.
        let later = client.request(["request": "status"])
        XCTAssertGreaterThan(later?["overflows"] as? Int ?? 0, 0)
        XCTAssertEqual(daemon.terminate(), 0, daemon.errorOutput)
    }
}
