import Foundation
import MotifConfig
import MotifCore
import XCTest

final class MotifLibraryLoaderTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("motif-lib-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    private func loadError(_ path: String) -> LibraryError? {
        do {
            _ = try MotifLibraryLoader.load(path: path)
            return nil
        } catch { return error }
    }

    func testLoadsTheContractExample() throws {
        let path = try write("lib.toml", """
            [[motif]]
            id = "fate"                         # unique; letters, digits, '.', '_', '-'
            label = "Fate motif"                # optional, human-readable
            notes = "G4:0.5 G4:0.5 G4:0.5 Eb4:2"
            tags = ["character:destiny"]        # optional, free strings

            [[motif]]
            id = "x.y_z-2"
            notes = "C4:1/3 D4:1/3 E4:1/3 r:1 G4:3/8"
            """)
        let library = try MotifLibraryLoader.load(path: path)
        XCTAssertEqual(library.motifs.map(\.id), ["fate", "x.y_z-2"])
        XCTAssertEqual(library.motifs[0].label, "Fate motif")
        XCTAssertEqual(library.motifs[0].tags, ["character:destiny"])
        XCTAssertEqual(library.motifs[0].notes.map(\.midi), [67, 67, 67, 63])
    }

    func testDirectoryOfFilesAndDuplicatesAcrossFiles() throws {
        _ = try write("a.toml", "[[motif]]\nid = \"one\"\nnotes = \"C4:1 D4:1 E4:1\"\n")
        _ = try write("b.toml", "[[motif]]\nid = \"two\"\nnotes = \"C4:1 D4:1 E4:1\"\n")
        _ = try write("notes.txt", "not a library")
        XCTAssertEqual(try MotifLibraryLoader.load(path: directory.path).motifs.map(\.id), ["one", "two"])
        let third = try write("c.toml", "[[motif]]\nid = \"one\"\nnotes = \"C4:1 D4:1 F4:1\"\n")
        let error = loadError(directory.path)
        XCTAssertEqual(error?.file, third)
        XCTAssertEqual(error?.motif, "one")
        XCTAssertTrue(error?.description.contains("duplicate id") ?? false, "\(String(describing: error))")
    }

    func testErrorsNameFileMotifAndToken() throws {
        let cases: [(String, String?, String)] = [
            ("[[motif]]\nid = \"a\"\nnotes = \"G4:1 H4:1 C4:1\"\n", "a", "H4:1"),
            ("[[motif]]\nid = \"b\"\nnotes = \"G4:1 A4:0 C4:1\"\n", "b", "A4:0"),
            ("[[motif]]\nid = \"c\"\nnotes = \"G4:1 A4:1\"\n", "c", "at least 3"),
            ("[[motif]]\nid = \"d\"\nnotes = \"G4:1 A4:1 B4:1\"\n[[motif]]\nid = \"d\"\nnotes = \"G4:1 A4:1 C4:1\"\n", "d", "duplicate"),
            ("[[motif]]\nid = \"bad id!\"\nnotes = \"G4:1 A4:1 B4:1\"\n", "bad id!", "invalid id"),
            ("[[motif]]\nnotes = \"G4:1 A4:1 B4:1\"\n", "#1", "missing 'id'"),
            ("[[motif]]\nid = \"e\"\n", "e", "missing 'notes'"),
            ("[[motif]]\nid = \"f\"\nnotes = \"G4:1 A4:1 B4:1\"\ntempo = 3\n", "f", "unknown key 'tempo'"),
            ("[[motif]\nid = \"g\"\n", nil, "TOML syntax error at line 1"),
            ("", nil, "no [[motif]]"),
        ]
        for (index, (text, motif, token)) in cases.enumerated() {
            let path = try write("case\(index).toml", text)
            guard let error = loadError(path) else {
                XCTFail("case \(index) loaded")
                continue
            }
            XCTAssertEqual(error.file, path, "case \(index)")
            XCTAssertEqual(error.motif, motif, "case \(index): \(error)")
            XCTAssertTrue(error.description.contains(token), "case \(index): \(error)")
            XCTAssertFalse(error.description.contains("\n"), "one line: \(error)")
        }
    }

    func testMissingPathAndEmptyDirectory() throws {
        XCTAssertTrue(loadError(directory.appendingPathComponent("nope.toml").path)?.description.contains("no such file") ?? false)
        XCTAssertTrue(loadError(directory.path)?.description.contains("no *.toml") ?? false)
    }

    func testShippedExampleLibraryLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let library = try MotifLibraryLoader.load(path: root.appendingPathComponent("Config/motifs.toml").path)
        XCTAssertGreaterThanOrEqual(library.count, 6)
    }
}
