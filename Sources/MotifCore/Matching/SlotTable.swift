/// Best state slot per (motif, note) in the column being built, generation-stamped: raw
/// storage, so that the hot loops write it without Swift's per-write uniqueness checks.
final class SlotTable {
    let count: Int
    let generation: UnsafeMutablePointer<Int32>
    let position: UnsafeMutablePointer<Int32>

    init(count: Int) {
        self.count = count
        generation = .allocate(capacity: count)
        generation.initialize(repeating: -1, count: count)
        position = .allocate(capacity: count)
        position.initialize(repeating: 0, count: count)
    }

    deinit {
        generation.deallocate()
        position.deallocate()
    }
}
