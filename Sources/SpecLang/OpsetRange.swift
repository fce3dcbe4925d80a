/// The model opsets at which an ONNX operator means what a spec's `onnx` line implements: `same 7..` (from 7 to
/// the newest opset) or `same 13..17`. Import reads a node only when the model's opset is in the range, so an
/// opset-11 Softmax (which flattens to 2-D) is never given the opset-13 meaning.
public struct OpsetRange: Hashable, Sendable, CustomStringConvertible {
    /// The newest default-domain ONNX opset graphsmith knows: that of the onnx package the ranges were read from
    /// (`python3 Scripts/onnx-opsets.py` prints it with every operator's version history). A model above it may
    /// use definitions no spec has been checked against, so import refuses it.
    public static let newestOnnxOpset = 28

    public var lowest: Int
    /// The highest opset with the same meaning; nil: every opset up to `newestOnnxOpset`.
    public var highest: Int?

    public init(lowest: Int, highest: Int?) {
        self.lowest = lowest
        self.highest = highest
    }

    public func contains(_ opset: Int) -> Bool {
        opset >= lowest && opset <= (highest ?? Self.newestOnnxOpset)
    }

    public var description: String { "\(lowest)..\(highest.map(String.init) ?? "")" }
}
