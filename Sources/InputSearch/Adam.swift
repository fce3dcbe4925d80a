import Foundation

/// Adam on a flat vector of parameters: per-coordinate steps of about `rate`, whatever the gradient's scale.
struct Adam: Sendable {
    var rate: Double
    var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
    var m: [Double], v: [Double]
    var t = 0

    init(count: Int, rate: Double) {
        self.rate = rate
        m = [Double](repeating: 0, count: count)
        v = m
    }

    /// Moves `x` against the gradient `g`; coordinates that never had a gradient stay where they are.
    mutating func step(_ x: inout [Double], _ g: [Double]) {
        t += 1
        let c1 = 1 - pow(beta1, Double(t)), c2 = 1 - pow(beta2, Double(t))
        for i in x.indices where g[i] != 0 || m[i] != 0 {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
            x[i] -= rate * (m[i] / c1) / ((v[i] / c2).squareRoot() + epsilon)
        }
    }

    /// Forgets the moments (after the parameters were redrawn).
    mutating func reset() {
        for i in m.indices {
            m[i] = 0
            v[i] = 0
        }
        t = 0
    }
}
