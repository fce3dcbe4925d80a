import Backends
import Campaign
import Compiler
import Foundation
import LoopIR
import ModelIR
import Reference
import TensorCore

extension Reducer {
    /// Removes a node by wiring its readers to one of its own inputs of the same type, `A -> N -> B` becoming
    /// `A -> B`. Unlike a cut, this keeps the intermediate value between A and B, which bugs of fusion and buffer
    /// reuse need.
    func bypassEach() throws {
        var i = model.nodes.count - 1
        while i >= 0, model.nodes.count > 1, timeLeft {
            let node = model.nodes[i]
            if node.outputs.count == 1, let out = node.outputs.first,
               let source = node.inputs.first(where: { model.valueTypes[$0] == out.type }) {
                var m = model
                m.nodes.remove(at: i)
                for k in m.nodes.indices { m.nodes[k].inputs = m.nodes[k].inputs.map { $0 == out.name ? source : $0 } }
                m.outputs = m.outputs.map { $0 == out.name ? source : $0 }
                var seen: Set<String> = []
                m.outputs = m.outputs.filter { seen.insert($0).inserted }
                let read = Set(m.nodes.flatMap(\.inputs)).union(m.outputs)
                m.inputs = m.inputs.filter { read.contains($0.name) }
                m.weights = m.weights.filter { read.contains($0.name) }
                let ins = inputs.filter { name, _ in m.inputs.contains { $0.name == name } }
                if (try? Verifier.verify(m, library: library)) != nil, valid(m, ins) { try accept(m, ins) }
            }
            i = min(i - 1, model.nodes.count - 1)
        }
    }

    /// Drops each attribute that has a default (so the default applies) when the model still verifies with the same
    /// types, it stays a valid test, and it still fails.
    func simplifyAttributes() throws {
        for i in model.nodes.indices {
            guard let spec = library.spec(named: model.nodes[i].op) else { continue }
            for decl in spec.attributes where decl.defaultValue != nil && model.nodes[i].attributes[decl.name] != nil {
                var m = model
                m.nodes[i].attributes.removeValue(forKey: decl.name)
                guard (try? Verifier.verify(m, library: library)) != nil, valid(m, inputs) else { continue }
                try accept(m, inputs)
            }
        }
    }

    /// Replaces float inputs by shorter numbers (two significant digits, then one decimal) when the test still fails.
    func simplifyInputs() throws {
        for info in model.inputs where info.type.dtype.isFloat {
            for digits in ["%.2g", "%.1f"] {
                var ins = inputs
                let t = inputs[info.name]!
                let rounded = t.doubles.map { Double(String(format: digits, $0)) ?? $0 }
                ins[info.name] = Tensor(dtype: t.dtype, shape: t.shape, doubles: rounded)
                guard ins[info.name] != t, valid(model, ins) else { continue }
                try accept(model, ins)
            }
        }
    }

    /// Switches compiler passes off one at a time and keeps each off when the test still fails without it; the
    /// passes left on are the ones the failure needs.
    func bisectPasses() throws {
        guard involvesCompiler else { return }
        for pass in PassRegistry.names where !config.disabledPasses.contains(pass) && timeLeft {
            var c = config
            c.disabledPasses.append(pass)
            try accept(model, inputs, c)
        }
    }

    /// The passes the failure needs: those not switched off by the bisection.
    /// Empty when the failing backends are not the in-repo compiler (an onnxruntime finding needs none of its passes).
    public var neededPasses: [String] {
        guard involvesCompiler else { return [] }
        return PassRegistry.names.filter { !config.disabledPasses.contains($0) }
    }

    /// Whether one of the finding's failing backends is the in-repo compiler.
    var involvesCompiler: Bool {
        record.backends.contains { BackendRegistry.compiler($0) != nil }
    }

    /// Whether the model is still a valid test on these inputs (`TestValidity`: every reference value finite and
    /// inside every domain, no integer overflow), so a candidate never fails for a reason that is not a bug.
    func valid(_ m: Model, _ ins: [String: Tensor]) -> Bool {
        guard let typed = try? TypedModel(m, library: library), let v = try? Interpreter.run(typed, inputs: ins) else { return false }
        return TestValidity.violation(m, instances: typed.instances, values: v) == nil
    }
}
