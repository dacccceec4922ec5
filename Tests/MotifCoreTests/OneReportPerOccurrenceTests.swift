import MotifCore
import XCTest

final class OneReportPerOccurrenceTests: XCTestCase {
    private func recognition(_ motif: String, _ start: Double, _ end: Double, confidence: Double) -> Recognition {
        Recognition(motifID: motif, start: start, end: end, emitted: end, confidence: confidence,
                    transposition: 0, bpm: 100, matchedNotes: 6)
    }

    func testAnOccurrenceHeardByBothReadingsIsReportedOnce() {
        var reports = OneReportPerOccurrence()
        XCTAssertTrue(reports.admit(recognition("a", 10, 13, confidence: 0.8)))
        XCTAssertFalse(reports.admit(recognition("a", 10.2, 13.4, confidence: 0.9)))
        // The same motif again later is another occurrence.
        XCTAssertTrue(reports.admit(recognition("a", 20, 23, confidence: 0.8)))
    }

    func testAnotherMotifOverTheSameNotesNeedsMoreConfidence() {
        var reports = OneReportPerOccurrence()
        XCTAssertTrue(reports.admit(recognition("long", 10, 16, confidence: 0.95)))
        // The other reading took most of those notes for another motif, less surely.
        XCTAssertFalse(reports.admit(recognition("short", 11, 15.5, confidence: 0.6)))
        // More surely: both are reported (the matcher of each reading has had its say).
        XCTAssertTrue(reports.admit(recognition("other", 11, 15.5, confidence: 0.99)))
        // A motif that only shares the end of those notes is its own occurrence.
        XCTAssertTrue(reports.admit(recognition("next", 15, 19, confidence: 0.5)))
        reports.reset()
        XCTAssertTrue(reports.admit(recognition("short", 11, 15.5, confidence: 0.6)))
    }
}
