import Foundation
import TOMLKit

/// Settings of `motifd run`, from `Config/motifd.toml` (every key optional) and the command
/// line, which wins. See `Config/motifd.toml` for each setting's meaning and default.
public struct DaemonConfiguration: Sendable, Equatable {
    /// PortAudio device name or index, "default", "file:PATH" (paced replay) or "-" (stdin).
    public var input = "default"
    public var channels = 1
    /// Channel to listen to (0-based); nil averages all opened channels.
    public var channel: Int?
    public var sampleRate = 48_000
    public var bufferFrames = 256
    /// Raw PCM format of stdin input: "s16le" or "f32le".
    public var format = "s16le"
    /// Seconds of audio the capture ring buffer holds before it counts overflow.
    public var ringSeconds = 4.0
    public var library = "/etc/motifd/motifs.toml"
    public var socketPath = "/run/motifd/motifd.sock"
    public var socketMode = 0o660
    public var socketGroup: String?
    public var maxClients = 128
    public var maxLineBytes = 65_536
    /// Events a client may fall behind by before it loses the oldest.
    public var clientQueue = 4_096
    /// Dropped events after which a stalled client is disconnected.
    public var clientDropLimit = 100_000
    /// Seconds between `status` events to clients that subscribed to them.
    public var statusInterval = 1.0

    public init() {}

    public struct Error: Swift.Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// Reads a configuration file; unknown keys and wrong types are errors naming the key.
    public static func load(path: String) throws(Error) -> DaemonConfiguration {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw Error(description: "\(path): cannot read configuration file")
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(Error) -> DaemonConfiguration {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw Error(description: "\(file): TOML syntax error at line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        } catch {
            throw Error(description: "\(file): TOML syntax error: \(error)")
        }
        var config = DaemonConfiguration()
        let sections: [String: [String]] = [
            "input": ["device", "channels", "channel", "sample_rate", "buffer_frames", "format", "ring_seconds"],
            "library": ["path"],
            "socket": ["path", "mode", "group", "max_clients", "max_line_bytes", "client_queue", "client_drop_limit",
                       "status_interval"],
        ]
        for key in table.keys {
            guard let allowed = sections[key] else { throw Error(description: "\(file): unknown section [\(key)]") }
            guard let section = table[key]?.table else { throw Error(description: "\(file): [\(key)] must be a table") }
            for name in section.keys where !allowed.contains(name) {
                throw Error(description: "\(file): unknown key '\(name)' in [\(key)]")
            }
        }
        func value(_ section: String, _ key: String) -> TOMLValueConvertible? { table[section]?.table?[key] }
        func string(_ section: String, _ key: String) throws(Error) -> String? {
            guard let v = value(section, key) else { return nil }
            guard let s = v.string else { throw Error(description: "\(file): [\(section)] \(key) must be a string") }
            return s
        }
        func integer(_ section: String, _ key: String, _ range: ClosedRange<Int>) throws(Error) -> Int? {
            guard let v = value(section, key) else { return nil }
            guard let i = v.int, range.contains(i) else {
                throw Error(description: "\(file): [\(section)] \(key) must be a whole number in \(range.lowerBound)...\(range.upperBound)")
            }
            return i
        }
        func number(_ section: String, _ key: String, _ range: ClosedRange<Double>) throws(Error) -> Double? {
            guard let v = value(section, key) else { return nil }
            guard let d = v.double ?? v.int.map(Double.init), range.contains(d) else {
                throw Error(description: "\(file): [\(section)] \(key) must be a number in \(range.lowerBound)...\(range.upperBound)")
            }
            return d
        }
        if let v = try string("input", "device") { config.input = v }
        if let v = try integer("input", "channels", 0...32) { config.channels = v }
        if let v = try integer("input", "channel", -1...31) { config.channel = v < 0 ? nil : v }
        if let v = try integer("input", "sample_rate", 8_000...384_000) { config.sampleRate = v }
        if let v = try integer("input", "buffer_frames", 16...16_384) { config.bufferFrames = v }
        if let v = try string("input", "format") { config.format = v }
        if let v = try number("input", "ring_seconds", 0.1...600) { config.ringSeconds = v }
        if let v = try string("library", "path") { config.library = v }
        if let v = try string("socket", "path") { config.socketPath = v }
        if let v = try string("socket", "mode") {
            guard let mode = Int(v, radix: 8), (0...0o777).contains(mode) else {
                throw Error(description: "\(file): [socket] mode must be an octal string such as \"0660\"")
            }
            config.socketMode = mode
        }
        if let v = try string("socket", "group") { config.socketGroup = v.isEmpty ? nil : v }
        if let v = try integer("socket", "max_clients", 1...10_000) { config.maxClients = v }
        if let v = try integer("socket", "max_line_bytes", 256...16_777_216) { config.maxLineBytes = v }
        if let v = try integer("socket", "client_queue", 16...1_000_000) { config.clientQueue = v }
        if let v = try integer("socket", "client_drop_limit", 1...100_000_000) { config.clientDropLimit = v }
        if let v = try number("socket", "status_interval", 0.1...3600) { config.statusInterval = v }
        try config.validate(file: file)
        return config
    }

    /// Checks what the types alone do not.
    public func validate(file: String = "configuration") throws(Error) {
        guard ["s16le", "f32le"].contains(format) else {
            throw Error(description: "\(file): input format must be s16le or f32le, not '\(format)'")
        }
        if let channel, channels > 0, channel >= channels {
            throw Error(description: "\(file): input channel \(channel) is not among the \(channels) opened")
        }
        guard !input.isEmpty else { throw Error(description: "\(file): input device is empty") }
        guard !socketPath.isEmpty else { throw Error(description: "\(file): socket path is empty") }
    }
}
