import CALSAQuiet
import CPortAudio
import Foundation

/// A PortAudio device that can capture.
public struct AudioDevice: Sendable, Equatable {
    public var index: Int
    public var name: String
    public var hostAPI: String
    public var maxInputChannels: Int
    public var defaultSampleRate: Double
    public var isDefault: Bool
}

public struct PortAudioError: Error, CustomStringConvertible {
    public let description: String

    init(_ what: String, _ code: PaError) {
        description = "\(what): \(String(cString: Pa_GetErrorText(code)))"
    }

    init(description: String) {
        self.description = description
    }
}

/// Prepares PortAudio's environment once: no JACK server start attempts, no alsa-lib error
/// chatter during device enumeration (set `MOTIFD_ALSA_ERRORS=1` to see it again).
enum PortAudioEnvironment {
    static let verbose = ProcessInfo.processInfo.environment["MOTIFD_ALSA_ERRORS"] != nil

    static let prepared: Void = {
        setenv("JACK_NO_START_SERVER", "1", 0)
        if !verbose { motif_alsa_silence_errors() }
    }()

    /// Pa_Initialize, with standard error muted meanwhile: the JACK host API, probing for
    /// a server that a listening machine does not run, prints five lines of noise.
    static func initialize() -> PaError {
        _ = prepared
        guard !verbose else { return Pa_Initialize() }
        fflush(nil)  // all C streams
        let saved = dup(STDERR_FILENO)
        let null = open("/dev/null", O_WRONLY)
        if saved >= 0 && null >= 0 { dup2(null, STDERR_FILENO) }
        let status = Pa_Initialize()
        fflush(nil)  // all C streams
        if saved >= 0 { dup2(saved, STDERR_FILENO); close(saved) }
        if null >= 0 { close(null) }
        return status
    }
}

/// Lists capture devices. PortAudio is initialised and terminated around the call.
public enum AudioDeviceCatalog {
    public static func inputDevices() throws(PortAudioError) -> [AudioDevice] {
        let status = PortAudioEnvironment.initialize()
        guard status == paNoError.rawValue else { throw PortAudioError("cannot initialise PortAudio", status) }
        defer { Pa_Terminate() }
        let defaultInput = Pa_GetDefaultInputDevice()
        var devices: [AudioDevice] = []
        for index in 0..<max(0, Pa_GetDeviceCount()) {
            guard let info = Pa_GetDeviceInfo(index), info.pointee.maxInputChannels > 0 else { continue }
            let api = Pa_GetHostApiInfo(info.pointee.hostApi).map { String(cString: $0.pointee.name) } ?? "?"
            devices.append(AudioDevice(index: Int(index), name: String(cString: info.pointee.name), hostAPI: api,
                                       maxInputChannels: Int(info.pointee.maxInputChannels),
                                       defaultSampleRate: info.pointee.defaultSampleRate,
                                       isDefault: index == defaultInput))
        }
        return devices
    }
}
