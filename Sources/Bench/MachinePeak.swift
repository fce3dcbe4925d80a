import Foundation

/// What the machine can do at best, next to which `bench compiler` puts its throughput figures.
public struct MachinePeak: Sendable, Codable {
    /// Threads the measured code runs on (native code and onnxruntime alike).
    public var threads: Int
    /// Clock rate of the first core in /proc/cpuinfo, in MHz (nil when it does not say).
    public var megahertz: Double?
    /// Double-precision operations per cycle and core of the widest vector unit /proc/cpuinfo names:
    /// 32 with AVX-512 (two 8-lane FMA units), 16 with AVX2 and FMA, 4 with SSE2 alone.
    public var operationsPerCycle: Int
    /// `threads` x `megahertz` x `operationsPerCycle`, in GFLOP/s: a bound no code reaches.
    public var gflops: Double?
    /// Measured: a copy of a 256 MiB buffer, bytes read plus bytes written per second, in GB/s.
    public var copyGBPerSecond: Double

    /// Reads /proc/cpuinfo and measures the copy rate (a few tenths of a second).
    public static func measure(threads: Int) -> MachinePeak {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let mhz = field("cpu MHz", in: info).flatMap(Double.init)
        let flags = Set((field("flags", in: info) ?? "").split(separator: " ").map(String.init))
        let perCycle = flags.contains("avx512f") ? 32 : flags.contains("avx2") && flags.contains("fma") ? 16 : 4
        return MachinePeak(threads: threads, megahertz: mhz, operationsPerCycle: perCycle,
                           gflops: mhz.map { Double(threads) * $0 * Double(perCycle) / 1e3 }, copyGBPerSecond: copyRate())
    }

    /// The value of the first line of `info` that starts with `key`.
    static func field(_ key: String, in info: String) -> String? {
        for line in info.split(separator: "\n") where line.hasPrefix(key) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// Best of three copies of 256 MiB (one thread): what a pass over memory costs at best.
    static func copyRate() -> Double {
        let bytes = 256 << 20
        let a = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        let b = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        defer {
            a.deallocate()
            b.deallocate()
        }
        memset(a, 1, bytes)
        memset(b, 2, bytes)
        let ms = Timing.best(of: 3) { memcpy(b, a, bytes) }
        return 2 * Double(bytes) / ms / 1e6
    }
}

/// A run time turned into rates against the work it did.
public struct Throughput: Sendable, Codable {
    /// Operations per second, in GFLOP/s.
    public var gflops: Double
    /// Bytes of inputs and outputs per second, in GB/s.
    public var gbPerSecond: Double

    public init(operations: Int, bytes: Int, milliseconds: Double) {
        gflops = Double(operations) / milliseconds / 1e6
        gbPerSecond = Double(bytes) / milliseconds / 1e6
    }
}
