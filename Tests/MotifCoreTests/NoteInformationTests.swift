import MotifCore
import XCTest

final class NoteInformationTests: XCTestCase {
    private func compiled(_ notation: String) -> CompiledMotif {
        CompiledMotif(Motif(id: notation, notes: try! MotifNotation.parse(notation)))
    }

    func testRareLeapsAndRhythmsOutweighScaleSteps() {
        // A library of stepwise tunes in even notes, and one with a leap of a sixth and a
        // dotted rhythm.
        let stepwise = ["C4:1 D4:1 E4:1 F4:1 G4:1", "G4:1 F4:1 E4:1 D4:1 C4:1", "E4:1 F4:1 G4:1 F4:1 E4:1",
                        "D4:1 E4:1 F4:1 E4:1 D4:1", "C4:1 D4:1 C4:1 D4:1 E4:1"]
        let motifs = (0..<4).flatMap { _ in stepwise }.map(compiled) + [compiled("C4:1.5 A4:0.5 G4:1 F4:1 E4:1")]
        let credits = NoteInformation.credits(of: motifs, uniform: 0)
        let leapy = credits[credits.count - 1]
        XCTAssertEqual(leapy[0], 0, "the first note carries no interval")
        XCTAssertGreaterThan(leapy[1], 1, "the leap of a sixth")
        XCTAssertGreaterThan(leapy[2], 1, "the dotted rhythm")
        XCTAssertGreaterThan(leapy[1], credits[0].max()!)
        XCTAssertLessThan(credits[0][2], 1, "a scale step in even notes")
        let rest = credits.flatMap { $0.dropFirst() }
        XCTAssertEqual(rest.reduce(0, +) / Float(rest.count), 1, accuracy: 1e-4, "normalised to mean 1")

        let uniform = NoteInformation.credits(of: motifs, uniform: 1)
        XCTAssertTrue(uniform.allSatisfy { $0.dropFirst().allSatisfy { $0 == 1 } })
    }
}
