import Generator
import TensorCore

/// One kind of test a campaign can spend its time on: a model size and a dtype family, applied to the campaign's
/// generator configuration. `YieldSchedule` chooses among them by what they have found.
public struct ScheduleArm: Sendable, Hashable {
    /// Model size relative to the configured `--nodes`.
    public enum Size: String, Sendable, CaseIterable { case small, base, large }
    /// Dtypes tensors may have, within the configured `--dtypes`.
    public enum Family: String, Sendable, CaseIterable { case any, float, integer }

    public let size: Size
    public let family: Family

    /// The arm's name, as reports and the worker protocol give it: `small-float`.
    public var name: String { "\(size.rawValue)-\(family.rawValue)" }

    /// Every arm, sizes before families; `YieldSchedule` explores them in this order.
    public static let all: [ScheduleArm] = Size.allCases.flatMap { s in Family.allCases.map { ScheduleArm(size: s, family: $0) } }

    /// The arm named `name`, or nil.
    public static func named(_ name: String) -> ScheduleArm? { all.first { $0.name == name } }

    /// `base` with this arm's size and dtypes: half or one and a half times its nodes (at least one), and its dtypes
    /// narrowed to the family's. Nil when the family leaves no dtype the configuration allows.
    public func apply(to base: GeneratorConfig) -> GeneratorConfig? {
        var c = base
        switch size {
        case .small: c.nodes = max(1, base.nodes / 2)
        case .base: break
        case .large: c.nodes = max(1, base.nodes + base.nodes / 2)
        }
        guard family != .any else { return c }
        let allowed = base.dtypes.isEmpty ? Set(DType.allCases) : base.dtypes
        c.dtypes = allowed.filter { family == .float ? $0.isFloat : $0.isInteger || $0.isBool }
        return c.dtypes.isEmpty ? nil : c
    }
}
