import Foundation

/// Writes events as JSON Lines exactly as CONTRACT.md section 2 shows them, with a fixed
/// field order and fixed decimals. Hand-written because it runs for every 10 ms frame:
/// it appends bytes to a reusable buffer and allocates nothing once the buffer has grown.
public struct EventJSONEncoder {
    public private(set) var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(1 << 16) }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Appends one event and a newline. `source` is pre-escaped with `escapedString`;
    /// `wallClock`, if given, is added as `"time"` (the daemon's RFC 3339 stamp).
    public mutating func append(_ event: ListenerEvent, escapedSource: [UInt8], wallClock: [UInt8]? = nil) {
        switch event {
        case .recognition(let r):
            literal("{\"event\":\"recognition\",\"source\":"); bytes += escapedSource
            literal(",\"motif\":"); bytes += Self.escapedString(r.motifID)
            literal(",\"start\":"); number(r.start, decimals: 3)
            literal(",\"end\":"); number(r.end, decimals: 3)
            literal(",\"emitted\":"); number(r.emitted, decimals: 3)
            literal(",\"confidence\":"); number(r.confidence, decimals: 3)
            literal(",\"transposition\":"); integer(r.transposition)
            literal(",\"bpm\":"); number(r.bpm, decimals: 1)
            literal(",\"notes\":"); integer(r.matchedNotes)
        case .candidate(let c):
            literal("{\"event\":\"candidate\",\"source\":"); bytes += escapedSource
            literal(",\"motif\":"); bytes += Self.escapedString(c.motifID)
            literal(",\"start\":"); number(c.start, decimals: 3)
            literal(",\"emitted\":"); number(c.emitted, decimals: 3)
            literal(",\"confidence\":"); number(c.confidence, decimals: 3)
            literal(",\"notes\":"); integer(c.matchedNotes)
            literal(",\"of\":"); integer(c.motifNotes)
            literal(",\"transposition\":"); integer(c.transposition)
            literal(",\"bpm\":"); number(c.bpm, decimals: 1)
        case .note(let n):
            literal("{\"event\":\"note\",\"source\":"); bytes += escapedSource
            literal(",\"start\":"); number(n.start, decimals: 3)
            literal(",\"end\":"); number(n.end, decimals: 3)
            literal(",\"pitch\":"); number(Double(n.pitch), decimals: 2)
        case .pitch(let p):
            literal("{\"event\":\"pitch\",\"source\":"); bytes += escapedSource
            literal(",\"t\":"); number(p.time, decimals: 3)
            literal(",\"f0\":"); number(Double(p.frequency), decimals: 2)
            literal(",\"confidence\":"); number(Double(p.confidence), decimals: 3)
            literal(",\"level\":"); number(Double(p.levelDB), decimals: 1)
            literal(",\"onset\":"); number(Double(p.onsetStrength), decimals: 3)
        }
        if let wallClock {
            literal(",\"time\":\"")
            bytes += wallClock
            bytes.append(UInt8(ascii: "\""))
        }
        literal("}\n")
    }

    @inline(__always)
    private mutating func literal(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func integer(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            repeat {
                raw[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(raw[i]) }
        }
    }

    /// Fixed-point formatting; non-finite values become 0 so that a line is always JSON.
    private mutating func number(_ value: Double, decimals: Int) {
        guard value.isFinite else { bytes.append(UInt8(ascii: "0")); return }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        var scaled = (abs(value) * scale).rounded()
        if scaled > 9e17 { scaled = 9e17 }
        var units = Int(scaled)
        if value < 0 && units != 0 { bytes.append(UInt8(ascii: "-")) }
        var divisor = 1
        for _ in 0..<decimals { divisor *= 10 }
        integer(units / divisor)
        units %= divisor
        if decimals > 0 {
            bytes.append(UInt8(ascii: "."))
            var place = divisor / 10
            while place > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(units / place))
                units %= place
                place /= 10
            }
        }
    }

    /// A JSON string literal (quotes included) for `text`.
    public static func escapedString(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }
}
