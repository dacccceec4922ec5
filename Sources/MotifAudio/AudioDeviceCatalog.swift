import CPortAudio

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

/// Lists capture devices. PortAudio is initialised and terminated around the call.
public enum AudioDeviceCatalog {
    public static func inputDevices() throws(PortAudioError) -> [AudioDevice] {
        let status = Pa_Initialize()
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
