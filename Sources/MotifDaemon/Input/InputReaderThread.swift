import Foundation
import Synchronization

/// The reader thread of an input that pulls its audio itself (a file, a pipe), with the
/// state status reads from other threads: whether it was asked to stop, whether it has
/// delivered all it has, and the fault that ended it early.
final class InputReaderThread {
    private let name: String
    private let stopping = Atomic<Bool>(false)
    private let finished = Atomic<Bool>(false)
    private let fault = Mutex<String?>(nil)

    init(name: String) { self.name = name }

    var isStopping: Bool { stopping.load(ordering: .acquiring) }
    var isFinished: Bool { finished.load(ordering: .acquiring) }
    var lastFault: String? { fault.withLock { $0 } }

    /// Runs `body` on a new thread; the input counts as finished when it returns.
    func start(_ body: @escaping () -> Void) {
        let thread = Thread { [self] in
            body()
            finished.store(true, ordering: .releasing)
        }
        thread.name = name
        thread.start()
    }

    func stop() { stopping.store(true, ordering: .releasing) }

    /// Records why reading ended early (for status).
    func fail(_ reason: String) { fault.withLock { $0 = reason } }
}
