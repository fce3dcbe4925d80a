/// Which C compiler builds a native program.
///
/// Campaigns screen: most tests' native code is built by TinyCC in milliseconds instead of by the system compiler
/// in a fifth of a second, which was most of a native test's time. A screened run that does not pass is repeated
/// on an exact build before it is judged (`Backend.confirmation`), so every native finding is the system
/// compiler's. A pass is a pass of the same C built without an optimizer; what only the system compiler's
/// optimizer would expose is still tested on the share of programs `exactShare` builds exactly.
public enum NativeBuild: String, Sendable, Hashable, Codable {
    /// The system compiler (`cc`), always.
    case exact
    /// TinyCC (`tcc`) when it is installed, except for a library the system compiler already built (cached), and
    /// for one program in `exactShare`, chosen by its source's digest, so that the choice replays.
    case screening

    /// One program in this many is built by the system compiler although screened.
    public static let exactShare = 8

    /// The compilers whose cached builds a program whose exact build's cache key is `exactKey` (a hexadecimal digest)
    /// may be loaded from, the last of them the one that builds it when none is cached.
    func compilers(exactKey: String) -> [CCompiler] {
        guard self == .screening, CCompiler.tiny.isAvailable else { return [.system] }
        let digit = exactKey.last.flatMap { Int(String($0), radix: 16) } ?? 0
        return digit % Self.exactShare == 0 ? [.system] : [.system, .tiny]
    }
}
