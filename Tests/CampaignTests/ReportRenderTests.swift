import Backends
import Foundation
import Generator
import Oracle
import XCTest
@testable import Campaign

/// report.md lines and the self-contained report.html.
final class ReportRenderTests: XCTestCase {
    private func merged() throws -> CampaignMerge {
        let fx = try CampaignFixture(self)
        let stats = try [CampaignFixture.sample(20, tests: 4, findings: 1), CampaignFixture.sample(60, tests: 10, findings: 1)]
            .map(CampaignFixture.line).joined(separator: "\n") + "\n"
        let a = try fx.campaign("a", tests: 10, verdicts: ["pass": 8, "mismatch": 2], findings: [
            CampaignFixture.finding("f-aaaaaaaaaaaa", "fp-a", elapsed: 12, hits: 2, test: 3,
                                    repro: "graphsmith fuzz --seed 7 --test 3 | head", message: "output <y> differs & more"),
        ], stats: stats)
        let b = try fx.campaign("b", shard: 1, tests: 5, verdicts: ["pass": 4, "crash": 1], findings: [
            CampaignFixture.finding("f-aaaaaaaaaaaa", "fp-a", elapsed: 40, hits: 1, test: 2),
        ], stats: stats)
        return CampaignMerge([try CampaignDirectory.read(a), try CampaignDirectory.read(b)])
    }

    func testMarkdownHasTotalsFindingsAndCoverageLines() throws {
        var m = try merged()
        let a = m.directories[0].path, b = m.directories[1].path
        m.coverageReport = CoverageReport(m.coverage, operators: [], feasiblePairs: ["Add->Add", "Add->Relu"], reachableBins: [])
        let lines = ReportMarkdown.render(m).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "# graphsmith campaign report")
        XCTAssertTrue(lines.contains("2 campaign directories, 15 tests, 1 unique finding (3 hits), one per 15 tests, 2m 0s of campaign time."), "\(lines)")
        XCTAssertTrue(lines.contains("| \(a) | 7 | 0/2 | vm-O3 | 10 | 1 | 10 | 1m 0s |"), "\(lines)")
        XCTAssertEqual(ReportMarkdown.yield(tests: 5, findings: 2), "2.5")
        XCTAssertEqual(ReportMarkdown.yield(tests: 1799, findings: 3), "600")
        XCTAssertTrue(lines.contains("| id | triage | verdict | stage | backends | operators | hits | first seen | repro |"))
        XCTAssertTrue(lines.contains("Findings by triage class: 1 wrong-result."), "\(lines)")
        XCTAssertTrue(lines.contains(
            "| f-aaaaaaaaaaaa | wrong-result | mismatch | execute | reference, vm-O3 | Add, Relu | 3 | 12s in \(a) (test 3); also in \(b) | `graphsmith fuzz --seed 7 --test 3 \\| head` |"),
            "\(lines)")
        XCTAssertTrue(lines.contains("| mismatch | 2 |") && lines.contains("| crash | 1 |") && lines.contains("| pass | 12 |"), "\(lines)")
        XCTAssertTrue(lines.contains("| operator pairs (feasible) | 0 | 2 | 0.0 |"), "\(lines)")
    }

    func testMarkdownWithoutFindings() throws {
        let fx = try CampaignFixture(self)
        let dir = try fx.campaign("quiet", tests: 3, verdicts: ["pass": 3], findings: [])
        let text = ReportMarkdown.render(CampaignMerge([try CampaignDirectory.read(dir)]))
        XCTAssertTrue(text.contains("\n## Findings\n\nNo findings.\n"), text)
        XCTAssertTrue(text.contains("1 campaign directory, 3 tests, 0 unique findings (0 hits), 1m 0s of campaign time."), text)
    }

    func testHTMLIsSelfContainedWithOneSVGPerChart() throws {
        let html = ReportHTML.render(try merged())
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 3, "findings over time, coverage over time, tests per operator")
        XCTAssertEqual(html.components(separatedBy: "</svg>").count - 1, 3)
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.lowercased().contains("http"), "no external reference of any kind")
        XCTAssertFalse(html.contains("<link"))
        XCTAssertTrue(html.contains("output &lt;y&gt; differs &amp; more"), "text is escaped")
        XCTAssertFalse(html.contains("<y>"))
        XCTAssertTrue(html.contains("<title>Unique findings over time</title>"))
        XCTAssertTrue(html.contains("<polyline"), "the per-directory series are drawn")
    }

    func testBarChartDrawsOneBarPerNonZeroValue() {
        let svg = SVGChart.bars(title: "t", valueLabel: "v", bars: [("Add", 5), ("Relu", 0), ("MatMul", 2)])
        XCTAssertEqual(svg.components(separatedBy: "<rect").count - 1, 2)
        XCTAssertTrue(svg.contains(">Relu</text>"))
        XCTAssertEqual(SVGChart.niceCeiling(7), 10)
        XCTAssertEqual(SVGChart.niceCeiling(130), 200)
        XCTAssertEqual(SVGChart.niceCeiling(5), 5)
    }
}
