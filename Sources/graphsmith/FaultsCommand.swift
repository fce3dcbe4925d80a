import ArgumentParser
import Campaign
import LoopIR

/// `graphsmith faults list`: the injectable compiler bugs.
struct FaultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faults",
        abstract: "The compiler bugs --inject-fault can switch on.",
        discussion: """
            Faults are off unless asked for. They are the ground truth the fuzzer is measured by: a \
            campaign with a fault must find it.

            Examples:
              graphsmith faults list
              graphsmith run model.txt --backend compiler -O3 --inject-fault tile-remainder-dropped
            """,
        subcommands: [FaultsList.self]
    )
}

struct FaultsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the faults with where they act and what goes wrong.")

    func run() throws {
        for f in Fault.allCases { Console.out("\(f.rawValue)  [\(f.stage)]  \(f.summary)") }
        for f in WorkerFault.allCases { Console.out("\(f.rawValue)  [test worker, fuzz only]  \(f.summary)") }
    }
}
