import Foundation
import Logging
import MotifCore
import NIOCore

/// One client connection: splits JSON Lines requests (bounded length), answers them, and
/// registers the client's session with the hub for events.
final class ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let hub: EventHub
    private weak var delegate: ControlDelegate?
    private let limits: ControlServer.Limits
    private let logger: Logger
    private var session: ClientSession?
    private var pending: [UInt8] = []
    private var discardingLongLine = false

    init(hub: EventHub, delegate: ControlDelegate, limits: ControlServer.Limits, logger: Logger) {
        self.hub = hub
        self.delegate = delegate
        self.limits = limits
        self.logger = logger
    }

    func channelActive(context: ChannelHandlerContext) {
        let session = ClientSession(channel: context.channel, capacity: limits.clientQueue, dropLimit: limits.clientDropLimit)
        if hub.clientCount >= limits.maxClients {
            session.reply(Self.error("too many clients (\(limits.maxClients)); try again later"))
            context.close(promise: nil)
            return
        }
        self.session = session
        hub.add(session)
        session.reply(delegate?.helloLine() ?? "{}")
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let session { hub.remove(session) }
        session = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { session?.flush() }
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        guard let bytes = buffer.readBytes(length: buffer.readableBytes) else { return }
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if discardingLongLine {
                    discardingLongLine = false
                } else {
                    handle(line: pending)
                }
                pending.removeAll(keepingCapacity: true)
                continue
            }
            if discardingLongLine { continue }
            pending.append(byte)
            if pending.count > limits.maxLineBytes {
                session?.reply(Self.error("request line longer than \(limits.maxLineBytes) bytes; ignored"))
                pending.removeAll(keepingCapacity: true)
                discardingLongLine = true
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func handle(line: [UInt8]) {
        guard let session else { return }
        var text = line
        if text.last == UInt8(ascii: "\r") { text.removeLast() }
        if text.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return }  // blank keep-alive
        guard let object = try? JSONSerialization.jsonObject(with: Data(text)),
              let request = object as? [String: Any] else {
            session.reply(Self.error("not a JSON object: expected a line such as {\"request\":\"status\"}"))
            return
        }
        let id = request["id"]
        guard let name = request["request"] as? String else {
            session.reply(Self.error("missing \"request\" (subscribe, status, motifs, reload)", id: id))
            return
        }
        switch name {
        case "subscribe":
            switch ClientRequests.subscription(from: request) {
            case .success(let subscription):
                session.subscription = subscription
                session.reply(ClientRequests.subscribedLine(subscription, id: id))
                if let replay = request["replay"] as? Int, replay > 0, subscription.kinds.contains(.recognition) {
                    hub.replay(min(replay, EventHub.replayCapacity), to: session)
                }
            case .failure(let message):
                session.reply(Self.error(message.description, id: id))
            }
        case "status":
            session.reply(ClientRequests.withID(delegate?.statusLine() ?? "{}", id: id))
        case "motifs":
            session.reply(ClientRequests.withID(delegate?.motifsLine() ?? "{}", id: id))
        case "reload":
            let channel = session.channel
            delegate?.reload { line in
                channel.eventLoop.execute { session.reply(ClientRequests.withID(line, id: id)) }
            }
        case "ping":
            session.reply(ClientRequests.withID("{\"event\":\"pong\",\"time\":\"\(WallClock.string())\"}", id: id))
        default:
            session.reply(Self.error("unknown request '\(name)' (expected subscribe, status, motifs, reload, ping)", id: id))
        }
    }

    static func error(_ message: String, id: Any? = nil) -> String {
        ClientRequests.withID(ClientRequests.json(["event": "error", "message": message, "time": WallClock.string()]), id: id)
    }
}
