import Foundation
import MotifCore
import TOMLKit

/// Why a library could not be loaded. The description is one line that names the file,
/// the motif and the offending token, as an operator needs it.
public struct LibraryError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let motif: String?
    public let reason: String

    public init(file: String, motif: String? = nil, reason: String) {
        self.file = file
        self.motif = motif
        self.reason = reason
    }

    public var description: String {
        if let motif { return "\(file): motif '\(motif)': \(reason)" }
        return "\(file): \(reason)"
    }
}

/// Reads a motif library (CONTRACT.md section 1) from one TOML file or from every `*.toml`
/// file of a directory, in name order. Ids must be unique across all files.
public enum MotifLibraryLoader {
    public static func load(path: String) throws(LibraryError) -> MotifLibrary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LibraryError(file: path, reason: "no such file or directory")
        }
        let files: [String]
        if isDirectory.boolValue {
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
                throw LibraryError(file: path, reason: "cannot list directory: \(error.localizedDescription)")
            }
            files = names.filter { $0.hasSuffix(".toml") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            guard !files.isEmpty else { throw LibraryError(file: path, reason: "directory has no *.toml motif files") }
        } else {
            files = [path]
        }
        var motifs: [Motif] = []
        var origin: [String: String] = [:]
        for file in files {
            for motif in try parseFile(file) {
                if let first = origin[motif.id] {
                    let place = first == file ? "earlier in this file" : "also in \(first)"
                    throw LibraryError(file: file, motif: motif.id, reason: "duplicate id (\(place))")
                }
                origin[motif.id] = file
                motifs.append(motif)
            }
        }
        guard !motifs.isEmpty else { throw LibraryError(file: path, reason: "library has no [[motif]] entries") }
        return MotifLibrary(motifs: motifs)
    }

    public static func parseFile(_ file: String) throws(LibraryError) -> [Motif] {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw LibraryError(file: file, reason: "cannot read file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LibraryError(file: file, reason: "not UTF-8 text")
        }
        return try parse(text, file: file)
    }

    /// Parses library text; `file` only names the source in errors.
    public static func parse(_ text: String, file: String) throws(LibraryError) -> [Motif] {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw LibraryError(file: file, reason: "TOML syntax error at line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch {
            throw LibraryError(file: file, reason: "TOML syntax error: \(error)")
        }
        for key in table.keys where key != "motif" {
            throw LibraryError(file: file, reason: "unknown top-level key '\(key)' (expected [[motif]] tables)")
        }
        guard let entries = table["motif"] else { return [] }
        guard let array = entries.array else {
            throw LibraryError(file: file, reason: "'motif' must be an array of tables ([[motif]])")
        }
        var motifs: [Motif] = []
        for (index, entry) in array.enumerated() {
            guard let motifTable = entry.table else {
                throw LibraryError(file: file, reason: "motif #\(index + 1) is not a table")
            }
            motifs.append(try parseMotif(motifTable, index: index, file: file))
        }
        return motifs
    }

    static func parseMotif(_ table: TOMLTable, index: Int, file: String) throws(LibraryError) -> Motif {
        guard let idValue = table["id"] else {
            throw LibraryError(file: file, motif: "#\(index + 1)", reason: "missing 'id'")
        }
        guard let id = idValue.string else {
            throw LibraryError(file: file, motif: "#\(index + 1)", reason: "'id' must be a string, got \(idValue.debugDescription)")
        }
        guard Motif.isValidID(id) else {
            throw LibraryError(file: file, motif: id, reason: "invalid id '\(id)' (letters, digits, '.', '_', '-' only)")
        }
        for key in table.keys where !["id", "label", "notes", "tags"].contains(key) {
            throw LibraryError(file: file, motif: id, reason: "unknown key '\(key)'")
        }
        var label: String?
        if let value = table["label"] {
            guard let text = value.string else { throw LibraryError(file: file, motif: id, reason: "'label' must be a string") }
            label = text
        }
        guard let notesValue = table["notes"] else { throw LibraryError(file: file, motif: id, reason: "missing 'notes'") }
        guard let notesText = notesValue.string else {
            throw LibraryError(file: file, motif: id, reason: "'notes' must be a string such as \"G4:0.5 G4:0.5 Eb4:2\"")
        }
        let notes: [NotatedNote]
        do { notes = try MotifNotation.parse(notesText) } catch {
            throw LibraryError(file: file, motif: id, reason: error.description)
        }
        var tags: [String] = []
        if let value = table["tags"] {
            guard let array = value.array else { throw LibraryError(file: file, motif: id, reason: "'tags' must be an array of strings") }
            for tag in array {
                guard let text = tag.string else {
                    throw LibraryError(file: file, motif: id, reason: "tag \(tag.debugDescription) is not a string")
                }
                tags.append(text)
            }
        }
        return Motif(id: id, label: label, notes: notes, tags: tags)
    }
}
