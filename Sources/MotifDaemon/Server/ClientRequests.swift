import Foundation
import MotifCore

/// Parsing and replies of the socket protocol's requests.
enum ClientRequests {
    struct Problem: Error, CustomStringConvertible { let description: String }

    /// The listener's event types, and the daemon's own `status`.
    static let subscribableKinds = EventKinds.names.map(\.0) + ["status"]

    /// `{"request":"subscribe","events":["recognition","status"],"motifs":["fate","tag:T"],"min_confidence":0.7}`
    static func subscription(from request: [String: Any]) -> Result<ClientSession.Subscription, Problem> {
        var subscription = ClientSession.Subscription()
        let events: [String]
        if let value = request["events"] {
            guard let list = value as? [String] else { return .failure(Problem(description: "\"events\" must be a list of strings")) }
            events = list
        } else {
            events = ["recognition"]
        }
        for event in events {
            if event == "status" {
                subscription.status = true
            } else if let kind = EventKinds.names.first(where: { $0.0 == event })?.1 {
                subscription.kinds.insert(kind)
            } else {
                return .failure(Problem(description: "unknown event type '\(event)' (expected \(subscribableKinds.joined(separator: ", ")))"))
            }
        }
        if let value = request["motifs"] {
            guard let list = value as? [String] else { return .failure(Problem(description: "\"motifs\" must be a list of motif ids or tag:T filters")) }
            for entry in list {
                if entry.hasPrefix("tag:") { subscription.tags.insert(String(entry.dropFirst(4))) } else { subscription.motifs.insert(entry) }
            }
        }
        if let value = request["min_confidence"] {
            // (A JSON true or false is an NSNumber too, of type "c": not a confidence.)
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c",
                  number.doubleValue >= 0, number.doubleValue <= 1 else {
                return .failure(Problem(description: "\"min_confidence\" must be a number from 0 to 1"))
            }
            subscription.minimumConfidence = number.doubleValue
        }
        return .success(subscription)
    }

    static func subscribedLine(_ subscription: ClientSession.Subscription, id: Any?) -> String {
        var events = EventKinds.names.filter { subscription.kinds.contains($0.1) }.map(\.0)
        if subscription.status { events.append("status") }
        let filters = subscription.motifs.sorted() + subscription.tags.sorted().map { "tag:" + $0 }
        return withID(json(["event": "subscribed", "events": events, "motifs": filters,
                            "min_confidence": subscription.minimumConfidence, "time": WallClock.string()]), id: id)
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Echoes a request's `id` in its reply, so clients can match them.
    static func withID(_ line: String, id: Any?) -> String {
        guard let id, JSONSerialization.isValidJSONObject([id]),
              let data = try? JSONSerialization.data(withJSONObject: [id]) else { return line }
        let encoded = String(decoding: data, as: UTF8.self).dropFirst().dropLast()
        guard line.hasSuffix("}") else { return line }
        return String(line.dropLast()) + ",\"id\":" + encoded + "}"
    }
}
