import ArgumentParser
import MotifAudio

struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the PortAudio capture devices with their channels and default sample rates."
    )

    func run() throws {
        do {
            let devices = try AudioDeviceCatalog.inputDevices()
            if devices.isEmpty { print("no capture devices") }
            for device in devices {
                let mark = device.isDefault ? "*" : " "
                print("\(mark) \(device.index): \(device.name) (\(device.hostAPI), \(device.maxInputChannels) ch, \(Int(device.defaultSampleRate)) Hz)")
            }
        } catch {
            diagnose("\(error)")
            throw ExitCode(1)
        }
    }
}
