import Foundation
import MotifCore
import NIOConcurrencyHelpers
import NIOCore

/// Fans events out to the connected clients. The listener thread calls `publish`; each
/// event is encoded once and queued on every session that asked for it.
public final class EventHub: @unchecked Sendable {
    private let lock = NIOLock()
    private var sessions: [ObjectIdentifier: ClientSession] = [:]
    private var tagsByMotif: [String: [String]] = [:]
    private var encoder = EventJSONEncoder()
    private var droppedByGone = 0
    /// The latest recognition lines, for clients that (re)connect and ask for a replay.
    private var recentRecognitions = CircularBuffer<(line: [UInt8], motif: String, confidence: Double)>()
    public static let replayCapacity = 64

    public init() {}

    public var clientCount: Int { lock.withLock { sessions.count } }

    /// Lines dropped for slow clients, current and departed.
    public var droppedEvents: Int {
        lock.withLock { droppedByGone + sessions.values.reduce(0) { $0 + $1.dropped } }
    }

    func add(_ session: ClientSession) {
        lock.withLock { sessions[ObjectIdentifier(session)] = session }
    }

    func remove(_ session: ClientSession) {
        lock.withLock {
            if sessions.removeValue(forKey: ObjectIdentifier(session)) != nil { droppedByGone += session.dropped }
        }
    }

    /// The library's tags, for `tag:` subscription filters.
    public func setLibrary(_ library: MotifLibrary) {
        var map: [String: [String]] = [:]
        for motif in library.motifs { map[motif.id] = motif.tags }
        lock.withLock { tagsByMotif = map }
    }

    public func publish(_ event: ListenerEvent, escapedSource: [UInt8]) {
        lock.withLock {
            let kind = event.kind
            var targets: [ClientSession] = []
            for session in sessions.values {
                let subscription = session.subscription
                guard subscription.kinds.contains(kind) else { continue }
                if case .recognition(let recognition) = event,
                   !matches(recognition.motifID, recognition.confidence, subscription) { continue }
                if case .candidate(let candidate) = event,
                   !matches(candidate.motifID, candidate.confidence, subscription) { continue }
                targets.append(session)
            }
            var recognition: Recognition?
            if case .recognition(let value) = event { recognition = value }
            // Recognitions are kept for replay even when nobody listens right now.
            guard recognition != nil || !targets.isEmpty else { return }
            encoder.removeAll()
            encoder.append(event, escapedSource: escapedSource, wallClock: WallClock.now())
            let line = encoder.bytes
            if let recognition {
                if recentRecognitions.count >= Self.replayCapacity { recentRecognitions.removeFirst() }
                recentRecognitions.append((line, recognition.motifID, recognition.confidence))
            }
            for session in targets { session.enqueue(line) }
        }
    }

    /// Queues the latest `count` recognitions (that pass the session's filters) for it.
    func replay(_ count: Int, to session: ClientSession) {
        let recent = lock.withLock { Array(recentRecognitions) }
        let subscription = session.subscription
        var selected: [[UInt8]] = []
        for entry in recent.reversed() where selected.count < count {
            if matches(entry.motif, entry.confidence, subscription) { selected.append(entry.line) }
        }
        for line in selected.reversed() { session.enqueue(line) }
    }

    /// Sends a ready-made line (status) to the sessions that want it.
    func broadcastStatus(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        let targets = lock.withLock { sessions.values.filter { $0.subscription.status } }
        for session in targets { session.enqueue(bytes) }
    }

    /// Whether a recognition or candidate passes the session's motif and confidence filters.
    /// The confidence is compared as the event prints it (three decimals), so that what a
    /// client reads agrees with the floor it set.
    private func matches(_ motif: String, _ confidence: Double, _ subscription: ClientSession.Subscription) -> Bool {
        guard (confidence * 1_000).rounded() / 1_000 >= subscription.minimumConfidence else { return false }
        if subscription.motifs.isEmpty && subscription.tags.isEmpty { return true }
        if subscription.motifs.contains(motif) { return true }
        return (tagsByMotif[motif] ?? []).contains { subscription.tags.contains($0) }
    }
}
