import Foundation

/// An ALSA capture device for tests on machines with no sound card: the `file` plugin over
/// a `null` slave, whose capture data is a raw float32 recording. `pcm.!default` is defined
/// too: PortAudio 19.6 aborts in device enumeration without one. Not paced: it delivers as
/// fast as it is read, then stale data.
public enum ALSAFileDevice {
    public static let name = "motiftest"

    /// Writes `samples` and the configuration into `directory`; returns the environment
    /// (ALSA_CONFIG_PATH and friends) under which PortAudio sees the device.
    public static func install(_ samples: [Float], in directory: URL) throws -> [String: String] {
        let raw = directory.appendingPathComponent("input.raw")
        try samples.withUnsafeBufferPointer { Data(buffer: $0) }.write(to: raw)
        let config = directory.appendingPathComponent("asound.conf")
        try """
            pcm.!default { type plug slave.pcm "\(name)" }
            pcm.\(name) {
                type file
                slave.pcm "null"
                file "/dev/null"
                infile "\(raw.path)"
                format "raw"
            }
            """.write(to: config, atomically: true, encoding: .utf8)
        return ["ALSA_CONFIG_PATH": "/usr/share/alsa/alsa.conf:\(config.path)", "JACK_NO_START_SERVER": "1"]
    }
}
