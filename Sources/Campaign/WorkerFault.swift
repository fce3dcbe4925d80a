import Foundation

/// Test-only faults that break the worker process itself, to check that the campaign survives them.
///
/// Each fires on one test in eight (by test seed), while the first compiled backend executes: `test-trap` traps
/// (the process dies on a signal), `test-hang` loops forever, `test-alloc` allocates until the worker's memory
/// limit stops it. They are not compiler bugs and are not listed by `faults list`'s compiler section.
public enum WorkerFault: String, CaseIterable, Sendable {
    case trap = "test-trap"
    case hang = "test-hang"
    case alloc = "test-alloc"

    /// One line for `faults list`.
    public var summary: String {
        switch self {
        case .trap: return "the test worker traps on one test in eight (checks crash findings and worker restart)"
        case .hang: return "the test worker loops forever on one test in eight (checks the per-test time limit)"
        case .alloc: return "the test worker allocates without bound on one test in eight (checks the memory limit)"
        }
    }

    /// Whether the fault fires on the test with this seed.
    /// (Each fault its own residue, so that several can be on in one campaign and each still fires.)
    public func fires(seed: UInt64) -> Bool { seed % 8 == UInt64(3 + WorkerFault.allCases.firstIndex(of: self)!) }

    /// Does the harm. Never returns for `trap` and `hang`; `alloc` ends when allocation fails (a crash).
    public func fire() {
        switch self {
        case .trap:
            raise(SIGSEGV)
        case .hang:
            var spins: UInt64 = 0
            while true { spins &+= 1; if spins == 0 { usleep(1) } }
        case .alloc:
            var hoard: [UnsafeMutableRawPointer] = []
            while true {
                guard let p = malloc(64 << 20) else { fatalError("out of memory: allocation refused by the memory limit") }
                memset(p, 1, 64 << 20)
                hoard.append(p)
            }
        }
    }
}
