/// An instance's dtypes, `f32,i64->f32`: what decides whether a runtime has a kernel for it.
public enum KernelSignature {
    public static func of(_ instance: OpInstance) -> String {
        instance.inputTypes.map(\.dtype.rawValue).joined(separator: ",") + "->" + instance.outputTypes.map(\.dtype.rawValue).joined(separator: ",")
    }
}
