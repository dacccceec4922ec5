import MotifAudio

/// Reads a whole audio file through `AudioFileReader` (mono, its channels averaged, as it
/// delivers them), in blocks of `blockFrames` as the listener reads.
public func readWholeFile(_ path: String, blockFrames: Int = 1_024) throws -> (reader: AudioFileReader, samples: [Float]) {
    let reader = try AudioFileReader(path: path, blockFrames: blockFrames)
    var samples: [Float] = []
    var block = [Float](repeating: 0, count: blockFrames)
    while true {
        let count = try block.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
        if count == 0 { break }
        samples += block[0..<count]
    }
    return (reader, samples)
}
