import Foundation

/// What the listener reports (CONTRACT.md section 2).
public enum ListenerEvent: Sendable, Equatable {
    case recognition(Recognition)
    /// Only when asked for (`EventKinds.candidate`): a motif being heard, not complete yet.
    case candidate(MotifCandidate)
    case note(Note)
    case pitch(PitchFrame)

    public var kind: EventKinds {
        switch self {
        case .recognition: return .recognition
        case .candidate: return .candidate
        case .note: return .note
        case .pitch: return .pitch
        }
    }
}

/// Event types a consumer can ask for.
public struct EventKinds: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let recognition = EventKinds(rawValue: 1 << 0)
    public static let note = EventKinds(rawValue: 1 << 1)
    public static let pitch = EventKinds(rawValue: 1 << 2)
    public static let candidate = EventKinds(rawValue: 1 << 3)

    public static let names: [(String, EventKinds)] = [("recognition", .recognition), ("candidate", .candidate),
                                                       ("note", .note), ("pitch", .pitch)]

    /// Parses a comma-separated list such as `recognition,note`; nil names the bad entry.
    public static func parse(_ list: String) -> Result<EventKinds, UnknownEventKind> {
        var kinds: EventKinds = []
        for name in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            guard let kind = names.first(where: { $0.0 == name })?.1 else { return .failure(UnknownEventKind(name: name)) }
            kinds.insert(kind)
        }
        return .success(kinds)
    }

    public struct UnknownEventKind: Error, CustomStringConvertible {
        public let name: String
        public var description: String {
            "unknown event type '\(name)' (expected \(EventKinds.names.map(\.0).joined(separator: ", ")))"
        }
    }
}
