import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `transform` of every element, spread over the machine's cores; the results in the elements' order. Each
    /// call must depend on its element alone (a random stream of its own, not a shared one), so that the result does
    /// not depend on which core ran what.
    func parallelMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let results = Mutex<[T?]>(Array<T?>(repeating: nil, count: count))
        withoutActuallyEscaping(transform) { transform in
            let items = self
            DispatchQueue.concurrentPerform(iterations: items.count) { k in
                let value = transform(items[k])
                results.withLock { $0[k] = value }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
