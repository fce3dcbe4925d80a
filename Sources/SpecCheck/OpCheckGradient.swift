import InputSearch

extension OpCheck {
    public static let gradient = OpCheck(
        name: "gradient",
        summary: "the input search's gradients of float inputs equal central finite differences (points near kinks skipped)"
    ) { c in
        guard let report = try GradientCheck.run(c.instance, inputs: c.inputs, seed: 0), report.checked > 0 else {
            c.skipped.append("gradient")
            return
        }
        if let first = report.failures.first {
            throw CheckFailure("\(report.failures.count) of \(report.checked) derivatives differ; \(first)")
        }
    }
}
