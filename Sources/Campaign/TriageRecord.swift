import Foundation
import Oracle

/// One backend's outcome on one test, as a worker reports it: its triage class (nil when it agreed with the
/// reference) and its message.
public struct BackendOutcome: Codable, Sendable, Hashable {
    public var backend: String
    public var triage: Triage?
    public var message: String

    public init(backend: String, triage: Triage?, message: String) {
        self.backend = backend
        self.triage = triage
        self.message = message
    }
}

/// How one backend fared over a campaign: tests it ran, and how many of them fell in each triage class.
public struct BackendTally: Codable, Sendable, Hashable {
    /// Tests whose outcome on this backend was reported.
    public var tests = 0
    /// Tests per triage class (raw value); the rest agreed with the reference.
    public var classes: [String: Int] = [:]

    public init() {}

    /// Tests that agreed with the reference.
    public var passed: Int { tests - classes.values.reduce(0, +) }

    /// Tests of `triage`.
    public subscript(_ triage: Triage) -> Int { classes[triage.rawValue] ?? 0 }
}

/// A de-duplicated outcome of a class listed apart (unsupported, precision-policy, undefined-behaviour): what a
/// backend documents, or what ONNX leaves undefined, so that a reader can check it is what they expect.
public struct ApartEntry: Codable, Sendable, Hashable {
    public var triage: Triage
    public var backend: String
    /// The message with numbers and operator names masked: the de-duplication key with `triage` and `backend`.
    public var messageClass: String
    /// The first hit's message as it was.
    public var message: String
    public var hits: Int
    /// Test index and seed of the first hit.
    public var test: Int
    public var testSeed: UInt64
}

/// The outcomes of a campaign that are not findings, with the per-backend counts of every class:
/// `DIR/triage.json`. A campaign written before triage classes has none; it reads as empty.
public struct TriageRecord: Codable, Sendable, Hashable {
    /// Per backend by name. Undefined behaviour is the reference's finding about a test no backend ran, counted
    /// under `reference`.
    public var backends: [String: BackendTally] = [:]
    /// In order of first hit.
    public var apart: [ApartEntry] = []

    public init() {}

    /// The name undefined-behaviour outcomes are counted under.
    public static let referenceName = "reference"

    /// Counts one test's outcomes and adds its apart ones to the list; `operatorNames` are masked in messages.
    public mutating func add(_ report: TestReport, operatorNames: Set<String>) {
        var outcomes = report.outcomes
        if outcomes.isEmpty, let t = report.triage, t.isFailing, let b = report.backends.first {
            outcomes = [BackendOutcome(backend: b, triage: t, message: report.message)]  // the worker died on it
        }
        if report.triage == .undefinedBehaviour {
            outcomes.append(BackendOutcome(backend: Self.referenceName, triage: .undefinedBehaviour, message: report.message))
        }
        for o in outcomes {
            backends[o.backend, default: BackendTally()].tests += 1
            guard let t = o.triage else { continue }
            backends[o.backend, default: BackendTally()].classes[t.rawValue, default: 0] += 1
            guard !t.isFailing else { continue }
            let entry = ApartEntry(triage: t, backend: o.backend, messageClass: Self.mask(o.message, operatorNames),
                                   message: o.message, hits: 1, test: report.index, testSeed: report.seed)
            insert(entry)
        }
    }

    /// Adds `entry`'s hits to the entry of its key, or appends it.
    mutating func insert(_ entry: ApartEntry) {
        if let k = apart.firstIndex(where: { $0.triage == entry.triage && $0.backend == entry.backend && $0.messageClass == entry.messageClass }) {
            apart[k].hits += entry.hits
        } else {
            apart.append(entry)
        }
    }

    /// Both records together (campaign directories merged for a report): counts summed, entries of one key joined,
    /// the first given keeping its first hit.
    public func merged(with other: TriageRecord) -> TriageRecord {
        var out = self
        for (name, tally) in other.backends {
            out.backends[name, default: BackendTally()].tests += tally.tests
            out.backends[name, default: BackendTally()].classes.merge(tally.classes, uniquingKeysWith: +)
        }
        for entry in other.apart { out.insert(entry) }
        return out
    }

    /// A message's class: operator names masked as `OP`, and numbers as `#` except inside words, so that dtype
    /// names (`f64`, `int32`) stay apart.
    static func mask(_ text: String, _ names: Set<String>) -> String {
        var out = "", word = ""
        func flush() {
            if names.contains(word) {
                out += "OP"
            } else if let first = word.first, first.isNumber {
                out += "#"  // a number, decimal or 0x hex
            } else {
                out += word
            }
            word = ""
        }
        for c in text {
            if c.isLetter || c.isNumber || c == "_" { word.append(c) } else { flush(); out.append(c) }
        }
        flush()
        return String(out.prefix(160))
    }
}
