import Foundation
import MotifAudio
import MotifCore
import MotifTestSupport
import XCTest

/// Real capture through PortAudio's ALSA backend, from an ALSA `file` device whose input is
/// a raw recording (no sound card needed). The device is not paced, so the test bounds the
/// frames it reads.
final class PortAudioCaptureTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("motif-alsa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func installFileDevice(_ samples: [Float]) throws {
        for (key, value) in try ALSAFileDevice.install(samples, in: directory) { setenv(key, value, 1) }
    }

    func testCapturesTheRecordingThroughTheRingBuffer() throws {
        let rate = 16_000
        let tone: [Float] = (0..<(2 * rate)).map { 0.3 * Float(sin(2 * .pi * 440 * Double($0) / Double(rate))) }
        try installFileDevice(tone)
        let capture = try PortAudioCapture(configuration: .init(device: ALSAFileDevice.name, channels: 1, sampleRate: Double(rate),
                                                                framesPerBuffer: 256))
        XCTAssertEqual(capture.deviceName, ALSAFileDevice.name)
        try capture.start()
        var captured: [Float] = []
        var block = [Float](repeating: 0, count: 1024)
        let deadline = Date().addingTimeInterval(10)
        while captured.count < rate && Date() < deadline {
            let count = block.withUnsafeMutableBufferPointer { capture.ring.pop(into: $0) }
            if count == 0 { usleep(1000) } else { captured += block[0..<count] }
        }
        capture.stop()
        XCTAssertGreaterThanOrEqual(captured.count, rate, "captured \(captured.count) samples")
        XCTAssertGreaterThan(capture.callbacks, 0)
        let second = Array(captured.prefix(rate))
        // The very samples of the file, in order: compare with the source.
        let offset = tone.firstIndex { abs($0 - second[100]) < 1e-6 && $0 != 0 } ?? 0
        XCTAssertEqual(second[100], tone[100], accuracy: 1e-6, "capture starts at the file's start (offset \(offset))")
        XCTAssertEqual(Array(second[1000..<1010]), Array(tone[1000..<1010]))
        // And the pipeline hears A4 in it.
        let estimator = StreamingPitchEstimator()
        var pitches: [Float] = []
        second.withUnsafeBufferPointer { buffer in
            estimator.process(buffer) { frame in if frame.voiced { pitches.append(frame.midi) } }
        }
        XCTAssertGreaterThan(pitches.count, 80)
        XCTAssertTrue(pitches.dropFirst(3).allSatisfy { abs($0 - 69) < 0.1 })
    }

    func testUnknownDeviceIsAClearError() throws {
        try installFileDevice([Float](repeating: 0, count: 1000))
        XCTAssertThrowsError(try PortAudioCapture(configuration: .init(device: "no-such-device"))) { error in
            XCTAssertTrue(String(describing: error).contains("no capture device named 'no-such-device'"), "\(error)")
        }
    }
}
