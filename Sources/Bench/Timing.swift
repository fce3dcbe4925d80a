import Foundation

/// Clocks and percentiles shared by the benchmarks.
public enum Timing {
    /// This thread's CPU time in milliseconds (not advanced while the thread waits for a core).
    public static func threadCPUMilliseconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
    }

    /// Wall-clock milliseconds since an arbitrary start (monotonic).
    public static func milliseconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e6
    }

    /// The value at fraction `p` (0 to 1) of sorted, non-empty `xs`: the element at index ⌊(count - 1) p⌋.
    public static func percentile(_ p: Double, of xs: [Double]) -> Double {
        xs[min(xs.count - 1, Int(Double(xs.count - 1) * p))]
    }

    /// The best of `n` runs of `body` (at least one), in milliseconds.
    public static func best(of n: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<max(1, n) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return best
    }
}
