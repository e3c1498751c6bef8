/// Sequence ids a stage dropped lately (released by the router, failed, timed out).
///
/// The router's `ReleaseSequence` and the steps of the pipeline travel on different
/// sockets, so a step of a released sequence may arrive after the release. Remembering
/// the id lets the stage drop such slots quietly instead of reporting them, or worse,
/// creating caches that nobody would ever release again. Bounded: the oldest ids are
/// forgotten first.
struct RecentlyReleased {
    let capacity: Int
    private var members: Set<String> = []
    private var order: [String] = []
    private var head = 0

    init(capacity: Int = 4096) { self.capacity = max(capacity, 1) }

    func contains(_ id: String) -> Bool { members.contains(id) }

    mutating func insert(_ id: String) {
        guard members.insert(id).inserted else { return }
        order.append(id)
        if members.count > capacity {
            members.remove(order[head])
            head += 1
        }
        // Compact once the forgotten prefix dominates, keeping appends amortised O(1).
        if head > capacity {
            order.removeFirst(head)
            head = 0
        }
    }

    mutating func remove(_ id: String) {
        guard members.remove(id) != nil else { return }
        if let index = order[head...].firstIndex(of: id) { order.remove(at: index) }
    }
}
