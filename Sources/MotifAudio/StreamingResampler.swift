import CSoxr

/// Streaming sample-rate conversion of mono Float audio through libsoxr.
///
/// Blocks go in as they come and converted blocks come out through `emit`; `finish` flushes
/// the filter's tail. Output buffers are allocated once. When the rates are equal the
/// samples pass straight through.
/// One thread uses it at a time (it may be created on one and handed to another).
public final class StreamingResampler: @unchecked Sendable {
    public let inputRate: Double
    public let outputRate: Double
    private let soxr: soxr_t?
    private let output: UnsafeMutablePointer<Float>
    private let outputCapacity: Int

    public struct ResamplerError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `quality` is a libsoxr recipe; medium quality keeps everything below 0.91 of the
    /// output Nyquist frequency, far more than the pitch tracker uses.
    public init(inputRate: Double, outputRate: Double, maxInputBlock: Int, quality: UInt = UInt(SOXR_MQ)) throws(ResamplerError) {
        self.inputRate = inputRate
        self.outputRate = outputRate
        outputCapacity = Int((Double(maxInputBlock) * outputRate / inputRate).rounded(.up)) + 256
        output = .allocate(capacity: outputCapacity)
        if inputRate == outputRate {
            soxr = nil
            return
        }
        var error: soxr_error_t?
        var io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var q = soxr_quality_spec(quality, 0)
        var runtime = soxr_runtime_spec(1)  // one thread: the pipeline owns its core
        let created = soxr_create(inputRate, outputRate, 1, &error, &io, &q, &runtime)
        if let error {
            output.deallocate()
            throw ResamplerError(description: "cannot resample \(inputRate) Hz to \(outputRate) Hz: \(String(cString: error))")
        }
        soxr = created
    }

    deinit {
        if let soxr { soxr_delete(soxr) }
        output.deallocate()
    }

    public var isPassThrough: Bool { soxr == nil }

    /// Converts one block; `emit` may be called zero or more times with converted samples.
    public func process(_ input: UnsafeBufferPointer<Float>, emit: (UnsafeBufferPointer<Float>) -> Void) {
        guard let soxr else {
            emit(input)
            return
        }
        var offset = 0
        while offset < input.count {
            var consumed = 0
            var produced = 0
            _ = soxr_process(soxr, input.baseAddress! + offset, input.count - offset, &consumed,
                             output, outputCapacity, &produced)
            if produced > 0 { emit(UnsafeBufferPointer(start: output, count: produced)) }
            offset += consumed
            if consumed == 0 && produced == 0 { break }
        }
    }

    /// Flushes the samples the filter still holds at the end of the stream.
    public func finish(emit: (UnsafeBufferPointer<Float>) -> Void) {
        guard let soxr else { return }
        while true {
            var produced = 0
            _ = soxr_process(soxr, nil, 0, nil, output, outputCapacity, &produced)
            if produced == 0 { break }
            emit(UnsafeBufferPointer(start: output, count: produced))
        }
    }
}
