import Foundation
import MotifCore
import XCTest

final class EventJSONEncoderTests: XCTestCase {
    func testLinesAreValidJSONWithTheContractFields() throws {
        var encoder = EventJSONEncoder()
        let source = EventJSONEncoder.escapedString("dir/\"odd\"\\name\n.flac")
        encoder.append(.recognition(Recognition(motifID: "fate", start: 12.31, end: 14.02, emitted: 13.55,
                                                confidence: 0.93, transposition: -2, bpm: 132, matchedNotes: 4)),
                       escapedSource: source)
        encoder.append(.note(Note(start: 0.0004, end: 1.5, pitch: 67.04)), escapedSource: source)
        encoder.append(.pitch(PitchFrame(time: 12.32, voiced: true, frequency: 392.4, midi: 67, confidence: 0.88,
                                         levelDB: -20, windowLevelDB: -20)), escapedSource: source)
        encoder.append(.note(Note(start: -0.0, end: .nan, pitch: -1.25)), escapedSource: source)
        encoder.append(.candidate(MotifCandidate(motifID: "fate", start: 12.31, emitted: 13.2, confidence: 0.714,
                                                 matchedNotes: 3, motifNotes: 4, transposition: -2, bpm: 131.96)),
                       escapedSource: source)
        let lines = String(decoding: encoder.bytes, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 5)
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        XCTAssertEqual(objects[0]["event"] as? String, "recognition")
        XCTAssertEqual(objects[0]["source"] as? String, "dir/\"odd\"\\name\n.flac")
        XCTAssertEqual(objects[0]["motif"] as? String, "fate")
        XCTAssertEqual(objects[0]["transposition"] as? Int, -2)
        XCTAssertEqual(objects[0]["emitted"] as? Double, 13.55)
        XCTAssertEqual(objects[0]["bpm"] as? Double, 132)
        XCTAssertEqual(objects[1]["start"] as? Double, 0)
        XCTAssertEqual(objects[1]["pitch"] as? Double, 67.04)
        XCTAssertEqual(objects[2]["t"] as? Double, 12.32)
        XCTAssertEqual(objects[2]["f0"] as? Double, 392.4)
        XCTAssertEqual(objects[3]["end"] as? Double, 0)
        XCTAssertEqual(objects[3]["pitch"] as? Double, -1.25)
        XCTAssertEqual(String(lines[4]), #"{"event":"candidate","source":"dir/\"odd\"\\name\n.flac","motif":"fate","start":12.310,"#
                       + #""emitted":13.200,"confidence":0.714,"notes":3,"of":4,"transposition":-2,"bpm":132.0}"#)
    }
}
