/// One note of a motif as notated: a MIDI pitch (nil for a rest) and a length in quarter beats.
public struct NotatedNote: Equatable, Sendable {
    public var midi: Int?
    public var beats: Double

    public init(midi: Int?, beats: Double) {
        self.midi = midi
        self.beats = beats
    }

    public var isRest: Bool { midi == nil }
}

/// A library motif: its identity and its notation. The notated key and tempo are only a
/// reference; matching is transposition- and tempo-invariant (see `CompiledMotif`).
public struct Motif: Equatable, Sendable {
    public var id: String
    public var label: String?
    public var notes: [NotatedNote]
    public var tags: [String]

    public init(id: String, label: String? = nil, notes: [NotatedNote], tags: [String] = []) {
        self.id = id
        self.label = label
        self.notes = notes
        self.tags = tags
    }

    public var pitchedNoteCount: Int { notes.reduce(0) { $0 + ($1.isRest ? 0 : 1) } }

    /// Letters, digits, '.', '_' and '-', at least one character (CONTRACT.md section 1).
    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return true
            default: return false
            }
        }
    }
}

/// A validated set of motifs with unique ids, in library order.
public struct MotifLibrary: Sendable {
    public let motifs: [Motif]

    public init(motifs: [Motif]) {
        self.motifs = motifs
    }

    public var count: Int { motifs.count }
}
