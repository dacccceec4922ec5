import Foundation

/// Writes whole buffers to a file descriptor, retrying short writes and EINTR.
public struct FileDescriptorWriter: Sendable {
    public let descriptor: Int32

    public init(descriptor: Int32) { self.descriptor = descriptor }

    public static let standardOutput = FileDescriptorWriter(descriptor: STDOUT_FILENO)

    /// Returns false when the descriptor refuses more (a closed pipe).
    @discardableResult
    public func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var pointer = bytes.baseAddress else { return true }
        var remaining = bytes.count
        while remaining > 0 {
            let written = Foundation.write(descriptor, pointer, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            pointer += written
            remaining -= written
        }
        return true
    }
}
