import Foundation

/// One line of a line chart: points in data units, drawn in `color`, dashed or solid.
public struct ChartLine: Sendable {
    public var label: String
    public var color: String
    public var points: [(x: Double, y: Double)]
    public var dashed: Bool
    /// Whether the value holds until the next point (a count that only steps up) rather than changing linearly.
    public var steps: Bool
    /// Whether the line has its own legend entry (several lines may share one colour and one entry).
    public var inLegend: Bool

    public init(label: String, color: String, points: [(x: Double, y: Double)], dashed: Bool = false, steps: Bool = false,
                inLegend: Bool = true) {
        self.label = label
        self.color = color
        self.points = points
        self.dashed = dashed
        self.steps = steps
        self.inLegend = inLegend
    }
}

/// Small self-contained SVG charts (no scripts, no external references), drawn for the campaign report.
public enum SVGChart {
    /// Colours that stay distinguishable on white, reused in order.
    public static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"]

    static let width = 720.0, height = 300.0
    static let left = 56.0, right = 180.0, top = 28.0, bottom = 40.0

    /// A line chart with axes, ticks, a title and a legend; `yMax` fixes the y range (e.g. 100 for percentages).
    public static func lines(title: String, xLabel: String, yLabel: String, lines: [ChartLine], yMax: Double? = nil) -> String {
        let xs = lines.flatMap { $0.points.map(\.x) }, ys = lines.flatMap { $0.points.map(\.y) }
        let xAxis = axis(xs.max() ?? 1), yAxis = yMax.map { (hi: $0, step: $0 / 4) } ?? axis(ys.max() ?? 1)
        let xHi = xAxis.hi, yHi = yAxis.hi
        let legend = lines.filter(\.inLegend)
        // Tall enough for every legend entry.
        let height = max(Self.height, top + 14 * Double(legend.count) + bottom)
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + plotW * x / xHi }
        func py(_ y: Double) -> Double { top + plotH * (1 - y / yHi) }
        var svg = open(width: width, height: height, title: title)
        svg += axes(plotW: plotW, plotH: plotH, x: xAxis, y: yAxis, xLabel: xLabel, yLabel: yLabel)
        for line in lines {
            var coords: [String] = []
            for (i, p) in line.points.enumerated() {
                if line.steps && i > 0 { coords.append(pair(px(p.x), py(line.points[i - 1].y))) }
                coords.append(pair(px(p.x), py(p.y)))
            }
            let dash = line.dashed ? " stroke-dasharray=\"6 4\"" : ""
            if coords.count == 1 {
                svg += "<circle cx=\"\(fmt(px(line.points[0].x)))\" cy=\"\(fmt(py(line.points[0].y)))\" r=\"3\" fill=\"\(line.color)\"/>\n"
            } else if !coords.isEmpty {
                svg += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\"\(dash) points=\"\(coords.joined(separator: " "))\"/>\n"
            }
        }
        for (k, line) in legend.enumerated() {
            let dash = line.dashed ? " stroke-dasharray=\"6 4\"" : ""
            let ly = top + 14 * Double(k)
            svg += "<line x1=\"\(fmt(width - right + 10))\" y1=\"\(fmt(ly))\" x2=\"\(fmt(width - right + 30))\" y2=\"\(fmt(ly))\" stroke=\"\(line.color)\" stroke-width=\"2\"\(dash)/>"
            svg += "<text x=\"\(fmt(width - right + 34))\" y=\"\(fmt(ly + 4))\" font-size=\"11\">\(escape(legendText(line.label)))</text>\n"
        }
        if lines.allSatisfy({ $0.points.isEmpty }) {
            svg += "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(top + plotH / 2))\" text-anchor=\"middle\" font-size=\"13\" fill=\"#777\">no samples</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A horizontal bar chart, one row per label; bars of value 0 are marked in red so gaps stand out.
    public static func bars(title: String, valueLabel: String, bars: [(label: String, value: Double)]) -> String {
        let row = 14.0, labelW = 150.0, plotW = width - labelW - 70
        let h = top + row * Double(max(bars.count, 1)) + bottom
        let hi = axis(bars.map(\.value).max() ?? 1).hi
        var svg = open(width: width, height: h, title: title)
        for (k, bar) in bars.enumerated() {
            let y = top + row * Double(k)
            let w = plotW * bar.value / hi
            svg += "<text x=\"\(fmt(labelW - 4))\" y=\"\(fmt(y + row - 3))\" text-anchor=\"end\" font-size=\"11\">\(escape(bar.label))</text>"
            if bar.value > 0 {
                svg += "<rect x=\"\(fmt(labelW))\" y=\"\(fmt(y + 2))\" width=\"\(fmt(max(w, 1)))\" height=\"\(fmt(row - 4))\" fill=\"\(palette[0])\"/>"
            }
            svg += "<text x=\"\(fmt(labelW + max(w, 0) + 4))\" y=\"\(fmt(y + row - 3))\" font-size=\"10\" fill=\"\(bar.value > 0 ? "#333" : "#d62728")\">\(number(bar.value))</text>\n"
        }
        svg += "<text x=\"\(fmt(labelW + plotW / 2))\" y=\"\(fmt(h - 10))\" text-anchor=\"middle\" font-size=\"12\">\(escape(valueLabel))</text>\n"
        return svg + "</svg>\n"
    }

    private static func open(width: Double, height: Double, title: String) -> String {
        // No xmlns: inline SVG in HTML needs none, and the report must not name any external address.
        "<svg width=\"\(fmt(width))\" height=\"\(fmt(height))\" viewBox=\"0 0 \(fmt(width)) \(fmt(height))\" role=\"img\" font-family=\"sans-serif\">\n"
            + "<title>\(escape(title))</title><text x=\"\(fmt(left))\" y=\"16\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>\n"
    }

    private static func axes(plotW: Double, plotH: Double, x: (hi: Double, step: Double), y: (hi: Double, step: Double),
                             xLabel: String, yLabel: String) -> String {
        var s = "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(plotW))\" height=\"\(fmt(plotH))\" fill=\"none\" stroke=\"#999\"/>\n"
        for v in stride(from: 0, through: y.hi * (1 + 1e-9), by: y.step) {
            let py = top + plotH * (1 - v / y.hi)
            s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(py))\" x2=\"\(fmt(left + plotW))\" y2=\"\(fmt(py))\" stroke=\"#eee\"/>"
            s += "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(py + 4))\" text-anchor=\"end\" font-size=\"10\">\(number(v))</text>\n"
        }
        for v in stride(from: 0, through: x.hi * (1 + 1e-9), by: x.step) {
            s += "<text x=\"\(fmt(left + plotW * v / x.hi))\" y=\"\(fmt(top + plotH + 14))\" text-anchor=\"middle\" font-size=\"10\">\(number(v))</text>\n"
        }
        s += "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(top + plotH + 32))\" text-anchor=\"middle\" font-size=\"12\">\(escape(xLabel))</text>\n"
        s += "<text x=\"14\" y=\"\(fmt(top + plotH / 2))\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 \(fmt(top + plotH / 2)))\">\(escape(yLabel))</text>\n"
        return s
    }

    /// The smallest 1, 2 or 5 times a power of ten at or above `v` (tick steps that read well).
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 0, v.isFinite else { return 1 }
        let p = pow(10, floor(log10(v)))
        return [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= v * (1 - 1e-12) } ?? 10 * p
    }

    /// An axis from 0 covering `maxValue` in at most about four nice ticks; counts never get fractional ticks.
    static func axis(_ maxValue: Double) -> (hi: Double, step: Double) {
        let step = max(niceCeiling(maxValue / 4), maxValue >= 1 ? 1 : 0)
        return (hi: max(step, step * (maxValue / step - 1e-9).rounded(.up)), step: step)
    }

    /// Legend text cut to fit beside the plot, keeping the end (where a path's distinctive part is).
    static func legendText(_ s: String) -> String { s.count > 24 ? "…" + s.suffix(23) : s }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.1f", v)
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
    static func pair(_ x: Double, _ y: Double) -> String { "\(fmt(x)),\(fmt(y))" }

    /// Text made safe for HTML and SVG content and attribute values.
    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
