import ModelIR
import SpecLib
import TensorCore
import TestSupport
import XCTest
@testable import Generator

/// The kernel table keys kernels by dtype signature and, where needed, attribute bin; the generator obeys it.
final class KernelTableTests: XCTestCase {
    var library: SpecLibrary!
    override func setUpWithError() throws { library = try SpecLibrary.load(directory: repositorySpecs) }

    func testEntriesParseAndPrintBack() throws {
        let entries = ["Gelu": ["f32->f32", "f64->f64 approximate=tanh"], "ReduceSum": ["f32,i64->f32 axes=2-3 axes"]]
        let table = try XCTUnwrap(KernelTable(entries: entries))
        XCTAssertEqual(table.kernels["Gelu"]?["f64->f64"], ["approximate": ["tanh"]])
        XCTAssertEqual(table.kernels["Gelu"]?["f32->f32"], [:])
        XCTAssertEqual(table.kernels["ReduceSum"]?["f32,i64->f32"], ["axes": ["2-3 axes"]], "a bin may contain spaces")
        XCTAssertEqual(table.entries, entries)
        XCTAssertEqual(table.inputDTypes["ReduceSum"], [0: [.f32], 1: [.i64]], "the dtypes each input position takes")
        XCTAssertEqual(table.inputDTypes["Gelu"]?[0], [.f32, .f64])
        XCTAssertNil(KernelTable(entries: ["Relu": ["f32"]]), "an entry without '->' is not a signature")
        XCTAssertNil(KernelTable(entries: ["Relu": ["f32->f32 alpha"]]), "a restriction needs attribute=bin")
    }

    func testGeneratorKeepsToRestrictedBins() throws {
        var config = GeneratorConfig()
        config.include = ["Gelu", "Relu"]
        config.kernels = KernelTable(entries: ["Gelu": ["f32->f32 approximate=tanh", "f64->f64"], "Relu": ["f32->f32", "f64->f64"]])
        let gen = try ModelGenerator(library: library, config: config)
        var gelus = 0
        for seed in 0..<20 as Range<UInt64> {
            let m = try gen.generate(seed: seed)
            for node in m.nodes where node.op == "Gelu" {
                gelus += 1
                let dtype = m.valueTypes[node.inputs[0]]!.dtype
                XCTAssertTrue([.f32, .f64].contains(dtype), "\(dtype)")
                if dtype == .f32 { XCTAssertEqual(node.attributes["approximate"], .name("tanh")) }
            }
        }
        XCTAssertGreaterThan(gelus, 20)
    }

    func testOperatorsWithoutKernelsAreOutOfPlay() throws {
        var config = GeneratorConfig()
        config.kernels = KernelTable(entries: ["Relu": ["f32->f32"], "Add": ["f32,f32->f32"], "Tanh": []])
        XCTAssertEqual(config.operators(of: library).map(\.name), ["Add", "Relu"])
        let ops = config.operators(of: library)
        // Denominators follow the table: only f32 Add and Relu instances, so only their four pairs.
        XCTAssertEqual(FeasiblePairs.compute(ops, config: config), ["Add->Add", "Add->Relu", "Relu->Add", "Relu->Relu"])
        config.kernels = KernelTable(entries: ["Tanh": []])
        XCTAssertThrowsError(try ModelGenerator(library: library, config: config)) { error in
            XCTAssertTrue("\(error)".contains("kernel table"), "\(error)")
        }
    }
}
