import Foundation
import MotifCore
import NIOConcurrencyHelpers
import NIOCore

/// One connected client: what it subscribed to, and a bounded queue of event lines between
/// the listener thread and the client's event loop.
///
/// The listener only appends under a short lock and schedules a flush; the event loop
/// writes while the socket is writable. A client that stops reading fills the queue, which
/// then loses its oldest lines (counted and announced to the client in a `dropped` event);
/// past `dropLimit` lost lines it is disconnected. Neither slows the listener or others.
public final class ClientSession: @unchecked Sendable {
    public struct Subscription: Sendable, Equatable {
        public var kinds: EventKinds = []
        public var status = false
        /// Motif ids and `tag:` filters for recognitions; empty means all.
        public var motifs: Set<String> = []
        public var tags: Set<String> = []
        /// Recognitions and candidates under this confidence are not sent (0: all). The
        /// confidence is calibrated (README), so a client that acts on what it hears (a
        /// lighting cue) can trade recall for precision.
        public var minimumConfidence: Double = 0
    }

    let channel: Channel
    private let capacity: Int
    private let dropLimit: Int
    private let lock = NIOLock()
    private var queue = CircularBuffer<[UInt8]>()
    private var flushScheduled = false
    private var droppedSinceNotice = 0
    private var droppedTotal = 0
    private var subscriptionState = Subscription()

    init(channel: Channel, capacity: Int, dropLimit: Int) {
        self.channel = channel
        self.capacity = capacity
        self.dropLimit = dropLimit
        queue.reserveCapacity(min(capacity, 1_024))
    }

    public var subscription: Subscription {
        get { lock.withLock { subscriptionState } }
        set { lock.withLock { subscriptionState = newValue } }
    }

    public var dropped: Int { lock.withLock { droppedTotal } }

    /// Any thread. Never blocks beyond the queue lock.
    func enqueue(_ line: [UInt8]) {
        let (schedule, disconnect) = lock.withLock { () -> (Bool, Bool) in
            if queue.count >= capacity {
                queue.removeFirst()
                droppedSinceNotice += 1
                droppedTotal += 1
            }
            queue.append(line)
            let schedule = !flushScheduled
            flushScheduled = true
            return (schedule, droppedTotal > dropLimit)
        }
        if disconnect {
            channel.close(promise: nil)
            return
        }
        if schedule { channel.eventLoop.execute { self.flush() } }
    }

    /// On the event loop: write what is queued while the socket accepts it.
    func flush() {
        guard channel.isActive else { return }
        var buffer = channel.allocator.buffer(capacity: 4_096)
        var wrote = false
        while channel.isWritable {
            let (lines, dropped) = lock.withLock { () -> ([[UInt8]], Int) in
                let count = min(queue.count, 256)
                var taken: [[UInt8]] = []
                taken.reserveCapacity(count)
                for _ in 0..<count { taken.append(queue.removeFirst()) }
                let dropped = droppedSinceNotice
                droppedSinceNotice = 0
                if queue.isEmpty && count == 0 { flushScheduled = false }
                return (taken, dropped)
            }
            if dropped > 0 {
                buffer.writeString("{\"event\":\"dropped\",\"count\":\(dropped),\"time\":\"\(WallClock.string())\"}\n")
            }
            if lines.isEmpty && dropped == 0 { break }
            for line in lines { buffer.writeBytes(line) }
            channel.write(buffer, promise: nil)
            buffer.clear()
            wrote = true
        }
        if wrote { channel.flush() }
        // Not writable with lines left: channelWritabilityChanged calls flush again.
        if !channel.isWritable { lock.withLock { flushScheduled = false } }
    }

    /// Writes one reply line now (on the event loop), ahead of queued events.
    func reply(_ line: String) {
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 1)
        buffer.writeString(line)
        buffer.writeString("\n")
        channel.writeAndFlush(buffer, promise: nil)
    }
}
