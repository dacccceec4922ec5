import Foundation

/// RFC 3339 UTC timestamps with milliseconds (`2026-11-25T14:22:28.123Z`), formatted by
/// hand: this runs for every event sent to clients.
public enum WallClock {
    public static func now() -> [UInt8] { format(Date()) }

    public static func format(_ date: Date) -> [UInt8] {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millis = Int((interval - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4); out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2); out.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2); out.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2); out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2); out.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2); out.append(UInt8(ascii: "."))
        digits(min(999, max(0, millis)), 3); out.append(UInt8(ascii: "Z"))
        return out
    }

    public static func string(_ date: Date = Date()) -> String { String(decoding: format(date), as: UTF8.self) }
}
