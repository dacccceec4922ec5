import Synchronization

/// The shared state of a lock-free single-producer/single-consumer ring buffer of samples.
///
/// It is `~Copyable` and lives at a fixed heap address (see `SPSCRingBuffer`), so that a
/// real-time audio callback can reach it through a plain pointer: no reference counting,
/// no allocation, no lock and no syscall on either side.
///
/// `writeCount` and `readCount` count samples since creation and never wrap in practice
/// (2^63 samples is millions of years of audio); the slot of count `c` is `c & mask`.
/// Only the producer stores `writeCount` and only the consumer stores `readCount`; each
/// publishes with release ordering and reads the other's with acquire ordering, which
/// orders the sample copies in between.
public struct SPSCRingCore: ~Copyable, @unchecked Sendable {
    public let capacity: Int
    private let mask: Int
    private let slots: UnsafeMutablePointer<Float>
    private let writeCount = Atomic<Int>(0)
    private let readCount = Atomic<Int>(0)
    private let overflowedSamples = Atomic<Int>(0)

    init(capacity requested: Int) {
        precondition(requested > 0, "ring buffer capacity must be positive")
        var size = 1
        while size < requested { size <<= 1 }
        capacity = size
        mask = size - 1
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
    }

    deinit { slots.deallocate() }

    /// Producer side. Copies as many samples as fit and returns how many it took; the rest
    /// are counted as overflow (a producer that can wait may push them again). Wait-free.
    @inline(__always)
    public borrowing func push(_ samples: UnsafePointer<Float>, count: Int, countingOverflow: Bool = true) -> Int {
        let written = writeCount.load(ordering: .relaxed)  // only this thread stores it
        let read = readCount.load(ordering: .acquiring)
        let accepted = min(count, capacity - (written - read))
        // Element-wise copies (not memcpy) so that ThreadSanitizer sees every access.
        var index = 0
        while index < accepted {
            slots[(written &+ index) & mask] = samples[index]
            index &+= 1
        }
        writeCount.store(written &+ accepted, ordering: .releasing)
        if accepted < count && countingOverflow {
            overflowedSamples.wrappingAdd(count - accepted, ordering: .relaxed)
        }
        return accepted
    }

    /// Consumer side. Copies up to `maxCount` samples out and returns how many. Wait-free.
    @inline(__always)
    public borrowing func pop(into destination: UnsafeMutablePointer<Float>, maxCount: Int) -> Int {
        let read = readCount.load(ordering: .relaxed)  // only this thread stores it
        let written = writeCount.load(ordering: .acquiring)
        let taken = min(maxCount, written - read)
        var index = 0
        while index < taken {
            destination[index] = slots[(read &+ index) & mask]
            index &+= 1
        }
        readCount.store(read &+ taken, ordering: .releasing)
        return taken
    }

    /// Samples ready for the consumer (exact on the consumer thread, a lower bound elsewhere).
    public borrowing func readableCount() -> Int {
        writeCount.load(ordering: .acquiring) - readCount.load(ordering: .acquiring)
    }

    /// Samples dropped because the consumer fell behind.
    public borrowing func overflowCount() -> Int {
        overflowedSamples.load(ordering: .relaxed)
    }
}

/// Owner of an `SPSCRingCore` at a stable address.
///
/// Ordinary Swift code calls `push`/`pop` here; a C audio callback receives `core`, a raw
/// pointer, as its user data and calls `core.pointee.push` with no reference counting.
public final class SPSCRingBuffer: Sendable {
    public nonisolated(unsafe) let core: UnsafeMutablePointer<SPSCRingCore>

    /// `capacity` is rounded up to a power of two.
    public init(capacity: Int) {
        core = .allocate(capacity: 1)
        core.initialize(to: SPSCRingCore(capacity: capacity))
    }

    deinit {
        core.deinitialize(count: 1)
        core.deallocate()
    }

    public var capacity: Int { core.pointee.capacity }

    @discardableResult
    public func push(_ samples: UnsafeBufferPointer<Float>) -> Int {
        guard let base = samples.baseAddress else { return 0 }
        return core.pointee.push(base, count: samples.count)
    }

    /// Pushes what fits without counting the rest as overflow: for producers that can wait
    /// and push the rest again (a pipe reader), never for a real-time callback.
    public func pushAvailable(_ samples: UnsafeBufferPointer<Float>) -> Int {
        guard let base = samples.baseAddress else { return 0 }
        return core.pointee.push(base, count: samples.count, countingOverflow: false)
    }

    public func pop(into destination: UnsafeMutableBufferPointer<Float>) -> Int {
        guard let base = destination.baseAddress else { return 0 }
        return core.pointee.pop(into: base, maxCount: destination.count)
    }

    public var readableCount: Int { core.pointee.readableCount() }
    public var overflowCount: Int { core.pointee.overflowCount() }
}
