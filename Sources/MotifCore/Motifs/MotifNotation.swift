/// Parses the `notes` string of a library motif: space-separated `PITCH:DURATION` tokens
/// such as `G4:0.5`, `Eb4:2`, `F##3:1/3` or `r:1` (CONTRACT.md section 1).
public enum MotifNotation {
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformedToken(String)
        case unknownPitch(String)
        case badDuration(String)
        case nonPositiveDuration(String)
        case tooFewPitchedNotes(Int)

        public var description: String {
            switch self {
            case .malformedToken(let token): return "malformed note '\(token)' (expected PITCH:DURATION, e.g. G4:0.5)"
            case .unknownPitch(let token): return "unknown pitch in '\(token)' (expected A-G, optional #, ##, b, bb, octave number, or r)"
            case .badDuration(let token): return "bad duration in '\(token)' (expected a decimal or a fraction such as 3/8)"
            case .nonPositiveDuration(let token): return "duration must be positive in '\(token)'"
            case .tooFewPitchedNotes(let count): return "a motif needs at least 3 pitched notes, found \(count)"
            }
        }
    }

    public static let minimumPitchedNotes = 3

    public static func parse(_ text: String) throws(ParseError) -> [NotatedNote] {
        var notes: [NotatedNote] = []
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            notes.append(try parseToken(String(token)))
        }
        let pitched = notes.reduce(0) { $0 + ($1.isRest ? 0 : 1) }
        guard pitched >= minimumPitchedNotes else { throw .tooFewPitchedNotes(pitched) }
        return notes
    }

    static func parseToken(_ token: String) throws(ParseError) -> NotatedNote {
        let parts = token.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw .malformedToken(token) }
        let midi: Int?
        if parts[0] == "r" || parts[0] == "R" {
            midi = nil
        } else {
            guard let value = parsePitch(parts[0]) else { throw .unknownPitch(token) }
            midi = value
        }
        guard let beats = parseDuration(parts[1]) else { throw .badDuration(token) }
        guard beats > 0, beats.isFinite else { throw .nonPositiveDuration(token) }
        return NotatedNote(midi: midi, beats: beats)
    }

    /// Scientific pitch notation: C4 is MIDI 60. Returns nil for anything else.
    public static func parsePitch(_ text: Substring) -> Int? {
        var chars = Substring(text)
        guard let letter = chars.first else { return nil }
        let steps: [Character: Int] = ["C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11]
        guard let step = steps[letter] else { return nil }
        chars = chars.dropFirst()
        var alter = 0
        if chars.hasPrefix("##") { alter = 2; chars = chars.dropFirst(2) }
        else if chars.hasPrefix("bb") { alter = -2; chars = chars.dropFirst(2) }
        else if chars.hasPrefix("#") { alter = 1; chars = chars.dropFirst() }
        else if chars.hasPrefix("b") { alter = -1; chars = chars.dropFirst() }
        guard !chars.isEmpty, chars.allSatisfy({ $0 == "-" || $0.isASCII && $0.isNumber }),
              let octave = Int(chars), (-1...9).contains(octave) else { return nil }
        let midi = (octave + 1) * 12 + step + alter
        return (0...127).contains(midi) ? midi : nil
    }

    /// A decimal (`1.5`) or a fraction of whole numbers (`3/8`).
    public static func parseDuration(_ text: Substring) -> Double? {
        if let slash = text.firstIndex(of: "/") {
            guard let numerator = Int(text[..<slash]), let denominator = Int(text[text.index(after: slash)...]),
                  denominator != 0 else { return nil }
            return Double(numerator) / Double(denominator)
        }
        guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }) else { return nil }
        return Double(text)
    }
}
