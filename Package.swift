// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "graphsmith",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "graphsmith", targets: ["graphsmith"]),
        .library(name: "TensorCore", targets: ["TensorCore"]),
        .library(name: "SpecLang", targets: ["SpecLang"]),
        .library(name: "SpecLib", targets: ["SpecLib"]),
        .library(name: "ModelIR", targets: ["ModelIR"]),
        .library(name: "Reference", targets: ["Reference"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(name: "TensorCore"),
        .systemLibrary(
            name: "CLibProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        .target(name: "CProtobufONNX", dependencies: ["CLibProtobufC"]),
        .target(name: "ONNX", dependencies: ["CProtobufONNX", "ModelIR", "Reference", "SpecLib", "SpecLang", "TensorCore"]),
        .target(name: "LoopIR", dependencies: ["SpecLang", "SpecLib", "TensorCore"]),
        .target(name: "Generator", dependencies: ["SpecLib", "SpecLang", "ModelIR", "Reference", "TensorCore"]),
        .target(name: "Backends", dependencies: ["Compiler", "Generator", "ModelIR", "Reference", "ONNX", "LoopIR", "SpecLib", "TensorCore", "TorchExport"]),
        .target(name: "Conformance", dependencies: ["Backends", "ONNX", "CProtobufONNX", "ModelIR", "SpecLib", "TensorCore"]),
        .target(name: "SpecLang", dependencies: ["TensorCore"]),
        .target(name: "SpecLib", dependencies: ["SpecLang", "TensorCore"]),
        .target(name: "ModelIR", dependencies: ["SpecLib", "TensorCore"]),
        .target(name: "Reference", dependencies: ["ModelIR", "SpecLib", "SpecLang", "TensorCore"]),
        .target(name: "TestSupport", path: "Sources/TestSupport"),
        .target(name: "TorchExport", dependencies: ["ModelIR", "Reference", "SpecLib", "SpecLang", "TensorCore"]),
        .target(name: "InputSearch", dependencies: ["Generator", "Reference", "ModelIR", "SpecLib", "SpecLang", "TensorCore"]),
        .target(name: "Compiler", dependencies: ["LoopIR", "Reference", "ModelIR", "SpecLib", "SpecLang", "TensorCore"]),
        .target(name: "Oracle", dependencies: ["Backends", "Reference", "ModelIR", "SpecLib", "TensorCore"]),
        .target(name: "Campaign", dependencies: ["Oracle", "InputSearch", "Compiler", "Backends", "Generator", "ONNX", "LoopIR", "Reference", "ModelIR", "SpecLib", "SpecLang", "TensorCore"]),
        .target(name: "SpecCheck", dependencies: ["Backends", "Compiler", "InputSearch", "LoopIR", "ONNX", "Reference", "ModelIR", "SpecLib", "TensorCore"]),
        .target(name: "Bench", dependencies: ["Backends", "Compiler", "Generator", "InputSearch", "LoopIR", "ModelIR", "Reference", "SpecLib", "TensorCore"]),
        .target(name: "Reducer", dependencies: ["Campaign", "Oracle", "Compiler", "Backends", "ONNX", "Reference", "ModelIR", "SpecLib", "TensorCore", "TorchExport"]),
        .executableTarget(
            name: "graphsmith",
            dependencies: [
                "TensorCore", "SpecLang", "SpecLib", "ModelIR", "Reference", "ONNX", "Backends", "Conformance", "Generator", "Compiler", "LoopIR", "Oracle", "Campaign", "Reducer", "InputSearch", "SpecCheck", "Bench", "TorchExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TensorCoreTests", dependencies: ["TestSupport", "TensorCore"]),
        .testTarget(name: "SpecLangTests", dependencies: ["TestSupport", "SpecLang"]),
        .testTarget(name: "SpecLibTests", dependencies: ["TestSupport", "SpecLib"]),
        .testTarget(name: "ModelIRTests", dependencies: ["TestSupport", "ModelIR", "SpecLib"]),
        .testTarget(name: "LoopIRTests", dependencies: ["TestSupport", "LoopIR", "Reference", "SpecLib"]),
        .testTarget(name: "GeneratorTests", dependencies: ["TestSupport", "Generator", "Reference", "ModelIR", "SpecLib"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "graphsmith"]),
        .testTarget(name: "BackendsTests", dependencies: ["TestSupport", "Backends", "Compiler", "Generator", "ModelIR", "SpecLib", "SpecLang", "TensorCore"]),
        .testTarget(name: "ConformanceTests", dependencies: ["TestSupport", "Conformance", "Backends", "SpecLib"]),
        .testTarget(name: "ONNXTests", dependencies: ["TestSupport", "ONNX", "Reference", "ModelIR", "SpecLib"]),
        .testTarget(name: "ReferenceTests", dependencies: ["TestSupport", "Reference", "ModelIR", "SpecLib"]),
        .testTarget(name: "InputSearchTests", dependencies: ["TestSupport", "InputSearch", "Generator", "Reference", "ModelIR", "SpecLib", "SpecLang", "TensorCore"]),
        .testTarget(name: "OracleTests", dependencies: ["TestSupport", "Oracle", "Campaign", "Compiler", "Backends", "LoopIR", "Reference", "ModelIR", "SpecLib", "TensorCore"]),
        .testTarget(name: "ReducerTests", dependencies: ["TestSupport", "Reducer", "Campaign", "Oracle", "Backends", "SpecLib", "Reference", "ModelIR", "TensorCore"]),
        .testTarget(name: "CampaignTests", dependencies: ["TestSupport", "Campaign", "Oracle", "Compiler", "LoopIR", "Backends", "Reference", "Generator", "InputSearch", "ONNX", "ModelIR", "SpecLib", "SpecLang", "TensorCore"]),
        .testTarget(name: "SpecCheckTests", dependencies: ["TestSupport", "SpecCheck", "Backends", "Reference", "ModelIR", "SpecLib", "TensorCore"]),
        .testTarget(name: "BenchTests", dependencies: ["TestSupport", "Bench", "Generator", "InputSearch", "SpecLib"]),
        .testTarget(name: "TorchExportTests", dependencies: ["TestSupport", "TorchExport", "Generator", "Reference", "ModelIR", "SpecLib", "SpecLang", "TensorCore"]),
        .testTarget(name: "CompilerTests", dependencies: ["TestSupport", "Compiler", "Backends", "Generator", "Reference", "ModelIR", "SpecLib", "SpecLang", "TensorCore"]),
    ]
)
