import Foundation
import MotifAudio
import MotifCore
import MotifTestSupport
import XCTest

final class AudioFileReaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("motif-audio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    private func tone(_ frequency: Double, rate: Int, seconds: Double, channels: Int = 1) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(Int(seconds * Double(rate)) * channels)
        for n in 0..<Int(seconds * Double(rate)) {
            let value = Float(0.4 * sin(2 * .pi * frequency * Double(n) / Double(rate)))
            for _ in 0..<channels { out.append(value) }
        }
        return out
    }

    private func dominantFrequency(_ samples: [Float], rate: Int) -> Double {
        // Zero crossings of a clean sine: enough to check rate and content.
        var crossings = 0
        for i in 1..<samples.count where (samples[i - 1] < 0) != (samples[i] < 0) { crossings += 1 }
        return Double(crossings) / 2 / (Double(samples.count) / Double(rate))
    }

    func testReadsWAVFLACOGGAndMP3() throws {
        for (name, container) in [("a.wav", AudioFileWriter.Container.wav16), ("a.flac", .flac16),
                                  ("a.ogg", .oggVorbis), ("a.mp3", .mp3)] {
            let file = path(name)
            let writer = try AudioFileWriter(path: file, sampleRate: 44_100, container: container)
            writer.write(tone(440, rate: 44_100, seconds: 1))
            writer.close()
            let (reader, samples) = try readWholeFile(file)
            XCTAssertEqual(reader.sampleRate, 44_100, name)
            XCTAssertEqual(Double(samples.count), 44_100, accuracy: 2_500, name)  // MP3 pads a little
            XCTAssertEqual(dominantFrequency(Array(samples[4000..<40000]), rate: 44_100), 440, accuracy: 5, name)
        }
    }

    func testMixesChannelsDownIncluding32() throws {
        for channels in [2, 32] {
            let file = path("multi\(channels).wav")
            do {
                let writer = try AudioFileWriter(path: file, sampleRate: 16_000, channels: channels, container: .wavFloat)
                writer.write(tone(300, rate: 16_000, seconds: 0.5, channels: channels))
                writer.close()
            }
            let (reader, samples) = try readWholeFile(file)
            XCTAssertEqual(reader.channels, channels)
            XCTAssertEqual(samples.count, 8_000)
            XCTAssertEqual(samples.map(abs).max() ?? 0, 0.4, accuracy: 0.01)
        }
    }

    func testExtremeSampleRatesWork() throws {
        for rate in [8_000, 384_000] {
            let file = path("rate\(rate).flac")
            do {
                let writer = try AudioFileWriter(path: file, sampleRate: rate, container: rate > 192_000 ? .wavFloat : .flac16)
                writer.write(tone(440, rate: rate, seconds: 0.5))
                writer.close()
            }
            let (reader, samples) = try readWholeFile(file)
            XCTAssertEqual(reader.sampleRate, rate)
            XCTAssertEqual(dominantFrequency(samples, rate: rate), 440, accuracy: 5)
        }
    }

    func testNaNAndInfinitySamplesAreSanitisedAndCounted() throws {
        let file = path("nan.wav")
        var samples = tone(440, rate: 16_000, seconds: 0.25)
        samples[100] = .nan
        samples[200] = .infinity
        samples[300] = -.infinity
        do {
            let writer = try AudioFileWriter(path: file, sampleRate: 16_000, container: .wavFloat)
            writer.write(samples)
            writer.close()
        }
        let (reader, read) = try readWholeFile(file)
        XCTAssertEqual(reader.nonFiniteSamples, 3)
        XCTAssertTrue(read.allSatisfy(\.isFinite))
        XCTAssertEqual(read[100], 0)
    }

    func testBadInputsGiveOneLineErrors() throws {
        let text = path("notes.txt")
        try "this is not audio\n".write(toFile: text, atomically: true, encoding: .utf8)
        let empty = path("empty.wav")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        let cases: [(String, String)] = [
            (path("missing.flac"), "no such file"),
            (directory.path, "is a directory"),
            (empty, "empty file"),
            (text, "not a readable audio file"),
        ]
        for (file, reason) in cases {
            XCTAssertThrowsError(try AudioFileReader(path: file)) { error in
                let message = String(describing: error)
                XCTAssertTrue(message.hasPrefix(file), message)
                XCTAssertTrue(message.contains(reason), message)
                XCTAssertFalse(message.contains("\n"))
            }
        }
    }

    func testTruncatedFLACKeepsTheAudioBeforeTheDamage() throws {
        let file = path("whole.flac")
        do {
            let writer = try AudioFileWriter(path: file, sampleRate: 16_000, container: .flac16)
            writer.write(tone(440, rate: 16_000, seconds: 2))
            writer.close()
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let truncated = path("truncated.flac")
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: truncated))
        let reader = try AudioFileReader(path: truncated, blockFrames: 1024)
        var total = 0
        var block = [Float](repeating: 0, count: 1024)
        var failure: Error?
        do {
            while true {
                let count = try block.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
                if count == 0 { break }
                total += count
            }
        } catch { failure = error }
        // libsndfile either reports the damage or stops early: never more than is there.
        XCTAssertGreaterThan(total, 8_000)
        XCTAssertLessThan(total, 32_000)
        if let failure { XCTAssertTrue(String(describing: failure).hasPrefix(truncated)) }
    }
}
