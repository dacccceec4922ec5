import CSndFile
import Foundation

/// Why an audio file could not be read; the description is one line naming the file.
public struct AudioFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// Streams any format libsndfile reads (WAV, FLAC, OGG/Vorbis, Opus, MP3, AIFF, ...) as
/// mono Float frames, channels averaged, in blocks: a long file is never loaded whole.
/// NaN and infinite samples are replaced by silence and counted, never passed on.
public final class AudioFileReader {
    public let path: String
    public let sampleRate: Int
    public let channels: Int
    /// Frames the header announces (it may be wrong for truncated files).
    public let frameCount: Int
    public let formatName: String
    public private(set) var nonFiniteSamples = 0
    public private(set) var framesRead = 0

    private let handle: OpaquePointer
    private let blockFrames: Int
    private let interleaved: UnsafeMutablePointer<Float>

    public static let maximumChannels = 256

    /// `blockFrames` bounds the frames one `read` call returns.
    public init(path: String, blockFrames: Int = 4096) throws(AudioFileError) {
        self.path = path
        self.blockFrames = blockFrames
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw AudioFileError(path: path, reason: String(cString: strerror(errno)).lowercased())
        }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw AudioFileError(path: path, reason: "is a directory, not an audio file") }
        if status.st_size == 0 { throw AudioFileError(path: path, reason: "empty file") }
        guard access(path, R_OK) == 0 else { throw AudioFileError(path: path, reason: "permission denied") }

        var info = SF_INFO()
        guard let opened = sf_open(path, Int32(SFM_READ), &info) else {
            let message = String(cString: sf_strerror(nil))
            throw AudioFileError(path: path, reason: "not a readable audio file (\(message))")
        }
        guard info.channels >= 1, Int(info.channels) <= Self.maximumChannels, info.samplerate > 0 else {
            sf_close(opened)
            throw AudioFileError(path: path, reason: "unsupported layout: \(info.channels) channels at \(info.samplerate) Hz")
        }
        handle = opened
        sampleRate = Int(info.samplerate)
        channels = Int(info.channels)
        frameCount = Int(info.frames)
        formatName = Self.describe(format: info.format)
        interleaved = .allocate(capacity: blockFrames * channels)
        // Floating-point files can hold values beyond +-1; integer formats are normalised.
        sf_command(handle, Int32(SFC_SET_NORM_FLOAT), nil, Int32(SF_TRUE))
    }

    deinit {
        interleaved.deallocate()
        sf_close(handle)
    }

    /// Seconds the header announces.
    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    /// Reads up to `destination.count` (at most `blockFrames`) mono frames; 0 at the end.
    /// Throws when the file turns out to be damaged part-way (frames before stay valid).
    public func read(into destination: UnsafeMutableBufferPointer<Float>) throws(AudioFileError) -> Int {
        let wanted = min(destination.count, blockFrames)
        guard wanted > 0, let out = destination.baseAddress else { return 0 }
        let got = Int(sf_readf_float(handle, interleaved, sf_count_t(wanted)))
        if got <= 0 {
            let code = sf_error(handle)
            if code != 0 {
                throw AudioFileError(path: path, reason: "damaged audio after \(String(format: "%.2f", Double(framesRead) / Double(sampleRate))) s (\(String(cString: sf_strerror(handle))))")
            }
            return 0
        }
        let scale = 1 / Float(channels)
        for frame in 0..<got {
            var sum: Float = 0
            let base = frame * channels
            for channel in 0..<channels {
                let sample = interleaved[base + channel]
                if sample.isFinite { sum += sample } else { nonFiniteSamples += 1 }
            }
            out[frame] = sum * scale
        }
        framesRead += got
        return got
    }

    static func describe(format: Int32) -> String {
        var info = SF_FORMAT_INFO()
        info.format = format & Int32(SF_FORMAT_TYPEMASK)
        if sf_command(nil, Int32(SFC_GET_FORMAT_INFO), &info, Int32(MemoryLayout<SF_FORMAT_INFO>.size)) == 0, let name = info.name {
            return String(cString: name)
        }
        return "unknown"
    }
}
