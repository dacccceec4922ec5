import MotifCore
import XCTest

final class MotifNotationTests: XCTestCase {
    func testParsesPitchesDurationsAndRests() throws {
        let notes = try MotifNotation.parse("G4:0.5 G4:1/2 r:1 Eb4:2 F##3:3/8 Cb5:1.5")
        XCTAssertEqual(notes.map(\.midi), [67, 67, nil, 63, 55, 71])
        XCTAssertEqual(notes.map(\.beats), [0.5, 0.5, 1, 2, 0.375, 1.5])
        XCTAssertEqual(MotifNotation.parsePitch("C4"), 60)
        XCTAssertEqual(MotifNotation.parsePitch("A4"), 69)
        XCTAssertEqual(MotifNotation.parsePitch("Bbb3"), 57)
    }

    func testRejectsBadTokensNamingThem() {
        XCTAssertThrowsError(try MotifNotation.parse("G4:1 H4:1 C4:1")) { error in
            XCTAssertEqual(error as? MotifNotation.ParseError, .unknownPitch("H4:1"))
        }
        XCTAssertThrowsError(try MotifNotation.parse("G4:1 A4:0 C4:1")) { error in
            XCTAssertEqual(error as? MotifNotation.ParseError, .nonPositiveDuration("A4:0"))
        }
        XCTAssertThrowsError(try MotifNotation.parse("G4:1 A4:-1 C4:1")) { error in
            XCTAssertEqual(error as? MotifNotation.ParseError, .nonPositiveDuration("A4:-1"))
        }
        XCTAssertThrowsError(try MotifNotation.parse("G4:1 A4:x C4:1")) { error in
            XCTAssertEqual(error as? MotifNotation.ParseError, .badDuration("A4:x"))
        }
        XCTAssertThrowsError(try MotifNotation.parse("G4:1 A4 C4:1")) { error in
            XCTAssertEqual(error as? MotifNotation.ParseError, .malformedToken("A4"))
        }
        XCTAssertThrowsError(try MotifNotation.parse("G4:1 r:1 C4:1")) { error in
            XCTAssertEqual(error as? MotifNotation.ParseError, .tooFewPitchedNotes(2))
        }
    }

    func testCompiledMotifUsesOnsetsWithRestsFolded() throws {
        let motif = Motif(id: "fate", notes: try MotifNotation.parse("r:0.5 G4:0.5 G4:0.5 G4:0.5 Eb4:2"))
        let compiled = CompiledMotif(motif)
        XCTAssertEqual(compiled.pitches, [67, 67, 67, 63])
        XCTAssertEqual(compiled.onsetBeats, [0.5, 1, 1.5, 2])
        XCTAssertEqual(compiled.repeatsPrevious, [false, true, true, false])
    }
}
