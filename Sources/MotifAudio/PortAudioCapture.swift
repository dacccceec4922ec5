import CPortAudio
import MotifCore
import Synchronization

/// What the real-time callback may touch: plain pointers and atomics, at a fixed address.
/// It is `~Copyable` and allocated once per stream; the callback gets its address as
/// `userData`, so no Swift reference is retained or released in the audio thread.
struct CaptureCallbackContext: ~Copyable {
    let ring: UnsafeMutablePointer<SPSCRingCore>
    let channels: Int
    /// Channel to take, or -1 to average all channels.
    let channel: Int
    /// Mix-down scratch, `maximumFrames` long, allocated before the stream starts.
    let scratch: UnsafeMutablePointer<Float>
    let maximumFrames: Int
    let callbacks = Atomic<Int>(0)
    let framesCaptured = Atomic<Int>(0)
    let inputOverflows = Atomic<Int>(0)
}

/// The PortAudio stream callback: copy (or mix down) into the ring buffer, count, return.
/// No allocation, lock, syscall, logging or reference counting happens here.
private func captureCallback(
    input: UnsafeRawPointer?, output: UnsafeMutableRawPointer?, frameCount: UInt,
    timeInfo: UnsafePointer<PaStreamCallbackTimeInfo>?, statusFlags: PaStreamCallbackFlags,
    userData: UnsafeMutableRawPointer?
) -> Int32 {
    guard let userData, let input else { return Int32(paContinue.rawValue) }
    let context = userData.assumingMemoryBound(to: CaptureCallbackContext.self)
    let samples = input.assumingMemoryBound(to: Float.self)
    let frames = Int(frameCount)
    let channels = context.pointee.channels
    if statusFlags & PaStreamCallbackFlags(paInputOverflow) != 0 {
        context.pointee.inputOverflows.wrappingAdd(1, ordering: .relaxed)
    }
    if channels == 1 {
        _ = context.pointee.ring.pointee.push(samples, count: frames)
    } else {
        let scratch = context.pointee.scratch
        let selected = context.pointee.channel
        let scale = 1 / Float(channels)
        // In scratch-sized chunks, should the host ever deliver a larger buffer than asked.
        var first = 0
        while first < frames {
            let count = min(frames - first, context.pointee.maximumFrames)
            for frame in 0..<count {
                let interleaved = samples + (first + frame) * channels
                if selected >= 0 {
                    scratch[frame] = interleaved[selected]
                } else {
                    var sum: Float = 0
                    for channel in 0..<channels { sum += interleaved[channel] }
                    scratch[frame] = sum * scale
                }
            }
            _ = context.pointee.ring.pointee.push(scratch, count: count)
            first += count
        }
    }
    context.pointee.callbacks.wrappingAdd(1, ordering: .relaxed)
    context.pointee.framesCaptured.wrappingAdd(frames, ordering: .relaxed)
    return Int32(paContinue.rawValue)
}

/// A PortAudio input stream (ALSA on Linux) that feeds a lock-free ring buffer from its
/// real-time callback. The consumer pops from `ring` on its own thread.
public final class PortAudioCapture {
    public struct Configuration: Sendable {
        /// Device name (exact, or a unique substring) or index; nil for the default input.
        public var device: String?
        /// Channels to open; 0 for all the device has (at most 32).
        public var channels: Int = 1
        /// Channel to listen to (0-based), or nil to average all opened channels.
        public var channel: Int?
        public var sampleRate: Double = 48_000
        public var framesPerBuffer: Int = 256

        public init(device: String? = nil, channels: Int = 1, channel: Int? = nil, sampleRate: Double = 48_000,
                    framesPerBuffer: Int = 256) {
            self.device = device
            self.channels = channels
            self.channel = channel
            self.sampleRate = sampleRate
            self.framesPerBuffer = framesPerBuffer
        }
    }

    public let configuration: Configuration
    public let ring: SPSCRingBuffer
    public let deviceName: String
    public let channels: Int
    private let context: UnsafeMutablePointer<CaptureCallbackContext>
    private var stream: UnsafeMutableRawPointer?

    /// Opens (but does not start) the stream. PortAudio is initialised per capture object.
    /// `ring` receives the (mono) samples; a reopened device can keep feeding the same one.
    public init(configuration: Configuration, ring: SPSCRingBuffer = SPSCRingBuffer(capacity: 1 << 17)) throws(PortAudioError) {
        self.configuration = configuration
        self.ring = ring
        var status = PortAudioEnvironment.initialize()
        guard status == paNoError.rawValue else { throw PortAudioError("cannot initialise PortAudio", status) }
        let index: PaDeviceIndex
        do { index = try Self.findDevice(configuration.device) } catch {
            Pa_Terminate()
            throw error
        }
        guard let info = Pa_GetDeviceInfo(index) else {
            Pa_Terminate()
            throw PortAudioError(description: "device \(index) has no information")
        }
        deviceName = String(cString: info.pointee.name)
        let available = Int(info.pointee.maxInputChannels)
        let wanted = configuration.channels == 0 ? min(available, 32) : configuration.channels
        guard wanted >= 1, wanted <= available else {
            Pa_Terminate()
            throw PortAudioError(description: "device '\(deviceName)' has \(available) input channels; \(wanted) asked for")
        }
        if let channel = configuration.channel, channel < 0 || channel >= wanted {
            Pa_Terminate()
            throw PortAudioError(description: "channel \(channel) is not among the \(wanted) opened on '\(deviceName)'")
        }
        channels = wanted
        let maximumFrames = max(configuration.framesPerBuffer, 1) * 16
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: maximumFrames)
        scratch.initialize(repeating: 0, count: maximumFrames)
        context = .allocate(capacity: 1)
        context.initialize(to: CaptureCallbackContext(
            ring: ring.core, channels: wanted, channel: configuration.channel ?? -1,
            scratch: scratch, maximumFrames: maximumFrames))

        var parameters = PaStreamParameters(
            device: index, channelCount: Int32(wanted), sampleFormat: PaSampleFormat(paFloat32),
            suggestedLatency: info.pointee.defaultLowInputLatency, hostApiSpecificStreamInfo: nil)
        var opened: UnsafeMutableRawPointer?
        status = Pa_OpenStream(&opened, &parameters, nil, configuration.sampleRate, UInt(configuration.framesPerBuffer),
                               PaStreamFlags(paNoFlag), captureCallback, UnsafeMutableRawPointer(context))
        guard status == paNoError.rawValue, let opened else {
            Self.release(context)
            Pa_Terminate()
            throw PortAudioError("cannot open '\(deviceName)' at \(Int(configuration.sampleRate)) Hz", status)
        }
        stream = opened
    }

    deinit {
        if let stream {
            Pa_AbortStream(stream)
            Pa_CloseStream(stream)
        }
        Self.release(context)
        Pa_Terminate()
    }

    private static func release(_ context: UnsafeMutablePointer<CaptureCallbackContext>) {
        context.pointee.scratch.deallocate()
        context.deinitialize(count: 1)
        context.deallocate()
    }

    public func start() throws(PortAudioError) {
        let status = Pa_StartStream(stream)
        guard status == paNoError.rawValue else { throw PortAudioError("cannot start '\(deviceName)'", status) }
    }

    public func stop() {
        if let stream { Pa_StopStream(stream) }
    }

    /// Whether the stream is still delivering (false after a device error).
    public var isActive: Bool { stream.map { Pa_IsStreamActive($0) == 1 } ?? false }

    public var framesCaptured: Int { context.pointee.framesCaptured.load(ordering: .relaxed) }
    public var callbacks: Int { context.pointee.callbacks.load(ordering: .relaxed) }
    /// Buffers the device reported as overflowed (audio lost before the callback).
    public var inputOverflows: Int { context.pointee.inputOverflows.load(ordering: .relaxed) }
    /// Samples dropped because the consumer fell behind the ring buffer.
    public var ringOverflowSamples: Int { ring.overflowCount }

    static func findDevice(_ name: String?) throws(PortAudioError) -> PaDeviceIndex {
        guard let name else {
            let index = Pa_GetDefaultInputDevice()
            guard index >= 0 else { throw PortAudioError(description: "no default input device") }
            return index
        }
        let count = Pa_GetDeviceCount()
        if let number = Int32(name) {
            guard number >= 0, number < count, (Pa_GetDeviceInfo(number)?.pointee.maxInputChannels ?? 0) > 0 else {
                throw PortAudioError(description: "no capture device with index \(number) (see motifd devices)")
            }
            return number
        }
        var partial: [PaDeviceIndex] = []
        for index in 0..<max(0, count) {
            guard let info = Pa_GetDeviceInfo(index), info.pointee.maxInputChannels > 0 else { continue }
            let deviceName = String(cString: info.pointee.name)
            if deviceName == name { return index }
            if deviceName.contains(name) { partial.append(index) }
        }
        guard partial.count == 1 else {
            throw PortAudioError(description: partial.isEmpty
                ? "no capture device named '\(name)' (see motifd devices)"
                : "'\(name)' matches \(partial.count) capture devices; name one exactly")
        }
        return partial[0]
    }
}
