import CSndFile

/// Writes mono or interleaved Float audio through libsndfile; used by tests, benchmarks
/// and the demo-recording tools to produce real WAV, FLAC and OGG files.
public final class AudioFileWriter {
    public enum Container: Sendable {
        case wav16, wavFloat, flac16, oggVorbis, mp3

        var format: Int32 {
            switch self {
            case .wav16: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
            case .wavFloat: return Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
            case .flac16: return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
            case .oggVorbis: return Int32(SF_FORMAT_OGG | SF_FORMAT_VORBIS)
            case .mp3: return Int32(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III)
            }
        }
    }

    private var handle: OpaquePointer?
    public let channels: Int

    public init(path: String, sampleRate: Int, channels: Int = 1, container: Container) throws(AudioFileError) {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = container.format
        guard let opened = sf_open(path, Int32(SFM_WRITE), &info) else {
            throw AudioFileError(path: path, reason: "cannot write audio file (\(String(cString: sf_strerror(nil))))")
        }
        handle = opened
        self.channels = channels
        if container != .wavFloat { sf_command(opened, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE)) }
    }

    /// Writes interleaved frames (`samples.count` must be a multiple of `channels`).
    public func write(_ samples: [Float]) {
        guard let handle else { return }
        samples.withUnsafeBufferPointer { buffer in
            _ = sf_writef_float(handle, buffer.baseAddress, sf_count_t(buffer.count / channels))
        }
    }

    /// Finishes the file (headers, encoder tail). Also done on release.
    public func close() {
        if let handle { sf_close(handle) }
        handle = nil
    }

    deinit { close() }
}
