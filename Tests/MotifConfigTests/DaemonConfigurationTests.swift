import Foundation
import MotifConfig
import XCTest

final class DaemonConfigurationTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testShippedConfigurationHoldsTheDefaults() throws {
        let loaded = try DaemonConfiguration.load(path: root.appendingPathComponent("Config/motifd.toml").path)
        XCTAssertEqual(loaded, DaemonConfiguration())
    }

    func testValuesAndErrorsNameTheKey() throws {
        let config = try DaemonConfiguration.parse("""
            [input]
            device = "file:/srv/film.flac"
            channels = 2
            channel = 1
            [socket]
            mode = "0600"
            """, file: "x.toml")
        XCTAssertEqual(config.input, "file:/srv/film.flac")
        XCTAssertEqual(config.channel, 1)
        XCTAssertEqual(config.socketMode, 0o600)
        let bad: [(String, String)] = [
            ("[input]\nchanels = 2\n", "unknown key 'chanels' in [input]"),
            ("[inputs]\n", "unknown section [inputs]"),
            ("[input]\nchannels = \"two\"\n", "[input] channels must be a whole number"),
            ("[input]\nformat = \"mp3\"\n", "format must be s16le or f32le"),
            ("[socket]\nmode = \"rw\"\n", "octal"),
            ("[input]\nchannels = 2\nchannel = 5\n", "channel 5 is not among the 2"),
            ("[input\n", "TOML syntax error at line 1"),
        ]
        for (text, message) in bad {
            XCTAssertThrowsError(try DaemonConfiguration.parse(text, file: "x.toml")) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
                XCTAssertTrue("\(error)".hasPrefix("x.toml"), "\(error)")
            }
        }
    }
}
