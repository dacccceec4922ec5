import Logging

/// The daemon logs through swift-log; no per-frame or per-event logging anywhere.
public typealias DaemonLogger = Logger
