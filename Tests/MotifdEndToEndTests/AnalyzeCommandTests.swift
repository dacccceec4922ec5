import Foundation
import MotifAudio
import MotifCore
import XCTest

/// Runs the real `motifd` executable on real audio files written through libsndfile.
final class AnalyzeCommandTests: XCTestCase {
    private var directory: URL!
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("motifd-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The motifd built next to this test bundle.
    private var motifd: URL { productURL("motifd", for: Self.self) }

    private func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = motifd
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    private func events(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    private var library: String { SceneRenderer.libraryPath }

    /// Renders motifs (id, transposition, bpm) with filler between them into a file.
    private func render(_ name: String, rate: Int, channels: Int = 1, container: AudioFileWriter.Container,
                        _ plays: [(String, Int, Double)]) throws -> (path: String, starts: [Double]) {
        let (mono, starts) = try SceneRenderer.render(plays, rate: rate)
        let interleaved = channels == 1 ? mono : mono.flatMap { Array(repeating: $0, count: channels) }
        let path = directory.appendingPathComponent(name).path
        let writer = try AudioFileWriter(path: path, sampleRate: rate, channels: channels, container: container)
        writer.write(interleaved)
        writer.close()
        return (path, starts)
    }

    func testRecognisesTransposedMotifsInStereoFLACAndOGG() throws {
        let flac = try render("scene.flac", rate: 44_100, channels: 2, container: .flac16,
                              [("grieg.mountain-king", 4, 140), ("wagner.siegfried-horn", -7, 100)])
        let ogg = try render("scene.ogg", rate: 48_000, container: .oggVorbis, [("beethoven.ode-to-joy", -3, 150)])
        let result = try run(["analyze", "--library", library, "--events", "recognition,note", flac.path, ogg.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let all = try events(result.stdout)
        let recognitions = all.filter { $0["event"] as? String == "recognition" }
        XCTAssertEqual(recognitions.map { $0["motif"] as? String }, ["grieg.mountain-king", "wagner.siegfried-horn", "beethoven.ode-to-joy"])
        XCTAssertEqual(recognitions.map { $0["transposition"] as? Int }, [4, -7, -3])
        XCTAssertEqual(recognitions.map { $0["source"] as? String }, [flac.path, flac.path, ogg.path])
        for (recognition, start) in zip(recognitions, flac.starts + ogg.starts) {
            XCTAssertEqual(recognition["start"] as? Double ?? 0, start, accuracy: 0.06)
            XCTAssertLessThanOrEqual(recognition["end"] as? Double ?? 99, recognition["emitted"] as? Double ?? 0)
        }
        XCTAssertGreaterThan(all.filter { $0["event"] as? String == "note" }.count, 30)
        XCTAssertFalse(all.contains { $0["event"] as? String == "pitch" }, "pitch was not asked for")
    }

    func testAQuietInputIsHeardLikeALoudOne() throws {
        // A microphone at the back of a hall: the same scene 55 dB down (its peaks under -55 dBFS).
        let plays: [(String, Int, Double)] = [("grieg.mountain-king", 2, 130), ("wagner.siegfried-horn", -5, 110)]
        let (loud, starts) = try SceneRenderer.render(plays, rate: 22_050)
        let quiet = loud.map { $0 * powf(10, -55 / 20) }
        var paths: [String] = []
        for (name, samples) in [("loud.flac", loud), ("quiet.flac", quiet)] {
            let path = directory.appendingPathComponent(name).path
            let writer = try AudioFileWriter(path: path, sampleRate: 22_050, channels: 1, container: .flac16)
            writer.write(samples)
            writer.close()
            paths.append(path)
        }
        XCTAssertLessThan(quiet.reduce(0) { max($0, abs($1)) }, powf(10, -55 / 20))
        let result = try run(["analyze", "--library", library] + paths)
        XCTAssertEqual(result.status, 0, result.stderr)
        let recognitions = try events(result.stdout)
        for path in paths {
            let found = recognitions.filter { $0["source"] as? String == path }
            XCTAssertEqual(found.map { $0["motif"] as? String }, ["grieg.mountain-king", "wagner.siegfried-horn"], path)
            XCTAssertEqual(found.map { $0["transposition"] as? Int }, [2, -5], path)
            for (recognition, start) in zip(found, starts) {
                XCTAssertEqual(recognition["start"] as? Double ?? 0, start, accuracy: 0.06, path)
            }
        }
    }

    func testPitchEventsEveryTenMilliseconds() throws {
        let file = try render("short.wav", rate: 8_000, container: .wav16, [("beethoven.fate", 0, 120)])
        let result = try run(["analyze", "--library", library, "--events", "pitch", file.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let times = try events(result.stdout).map { $0["t"] as! Double }
        XCTAssertGreaterThan(times.count, 500)
        for (index, time) in times.enumerated() { XCTAssertEqual(time, Double(index) * 0.01, accuracy: 0.0005) }
    }

    func testBadFileAmongGoodOnesKeepsTheirEventsAndFails() throws {
        let good = try render("good.flac", rate: 22_050, container: .flac16, [("grieg.mountain-king", 0, 120)])
        let text = directory.appendingPathComponent("readme.txt").path
        try "hello".write(toFile: text, atomically: true, encoding: .utf8)
        let missing = directory.appendingPathComponent("missing.wav").path
        let result = try run(["analyze", "--library", library, text, good.path, missing])
        XCTAssertEqual(result.status, 1)
        let recognitions = try events(result.stdout)
        XCTAssertEqual(recognitions.map { $0["motif"] as? String }, ["grieg.mountain-king"])
        let lines = result.stderr.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.contains(text) && $0.contains("not a readable audio file") }, result.stderr)
        XCTAssertTrue(lines.contains { $0.contains(missing) && $0.contains("no such file") }, result.stderr)
    }

    func testBadLibraryAndBadEventListAreRefused() throws {
        let bad = directory.appendingPathComponent("bad.toml").path
        try "[[motif]]\nid = \"x\"\nnotes = \"C4:1 Q4:1 E4:1\"\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let file = try render("any.wav", rate: 16_000, container: .wav16, [("beethoven.fate", 0, 120)])
        let result = try run(["analyze", "--library", bad, file.path])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains(bad) && result.stderr.contains("'x'") && result.stderr.contains("Q4:1"), result.stderr)
        XCTAssertTrue(result.stdout.isEmpty)
        let events = try run(["analyze", "--library", library, "--events", "recognition,chords", file.path])
        XCTAssertNotEqual(events.status, 0)
        XCTAssertTrue(events.stderr.contains("chords"), events.stderr)
    }

    func testShippedDemoIsRecognised() throws {
        let result = try run(["analyze", "--library", library, root.appendingPathComponent("Config/demo.flac").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let motifs = try events(result.stdout).compactMap { $0["motif"] as? String }
        XCTAssertEqual(motifs, ["grieg.mountain-king", "beethoven.fate", "wagner.siegfried-horn", "beethoven.ode-to-joy"])
    }
}
