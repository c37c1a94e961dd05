import Foundation

/// Inline SVG charts for the HTML report (no scripts, no external assets).
enum SVGChart {
    /// A named series of (x, y) points.
    struct Series {
        var name: String
        var color: String
        var points: [(Double, Double)]
    }

    static let width = 860.0
    static let height = 240.0
    static let left = 60.0
    static let right = 16.0
    static let top = 16.0
    static let bottom = 36.0

    /// A line chart with a legend; x in seconds.
    static func lines(_ series: [Series], yLabel: String, logY: Bool = false) -> String {
        let xs = series.flatMap { $0.points.map(\.0) }
        let ys = series.flatMap { $0.points.map(\.1) }
        guard let xMax = xs.max(), let yMaxRaw = ys.max(), xMax > 0 else { return emptyChart("no data yet") }
        let xMin = xs.min() ?? 0
        let yMax = niceCeiling(max(yMaxRaw, 1e-9))
        let plotW = width - left - right
        let plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - xMin) / max(xMax - xMin, 1e-9) * plotW }
        func py(_ y: Double) -> Double { top + plotH - y / yMax * plotH }
        var svg = open()
        svg += grid(yMax: yMax, xMin: xMin, xMax: xMax, yLabel: yLabel, format: { v in short(v) })
        for s in series where !s.points.isEmpty {
            let d = s.points.enumerated().map { i, p in
                "\(i == 0 ? "M" : "L")\(fmt(px(p.0))),\(fmt(py(p.1)))"
            }.joined(separator: " ")
            svg += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.6\"/>"
        }
        svg += legend(series.map { ($0.name, $0.color) })
        return svg + "</svg>"
    }

    /// A bar chart of (label, value).
    static func bars(_ bars: [(String, Double)], yLabel: String) -> String {
        guard let yMaxRaw = bars.map(\.1).max(), yMaxRaw > 0 else { return emptyChart("no data") }
        let yMax = niceCeiling(yMaxRaw)
        let plotW = width - left - right
        let plotH = height - top - bottom
        let slot = plotW / Double(bars.count)
        var svg = open()
        svg += grid(yMax: yMax, xMin: nil, xMax: nil, yLabel: yLabel, format: { v in short(v) })
        let labelEvery = max(1, bars.count / 12)
        for (i, bar) in bars.enumerated() {
            let h = bar.1 / yMax * plotH
            let x = left + Double(i) * slot
            svg += "<rect x=\"\(fmt(x + 1))\" y=\"\(fmt(top + plotH - h))\" width=\"\(fmt(max(slot - 2, 1)))\" height=\"\(fmt(h))\" fill=\"#4c78a8\"><title>≤ \(escape(bar.0)) ms: \(Int(bar.1))</title></rect>"
            if i % labelEvery == 0 {
                svg += "<text x=\"\(fmt(x + slot / 2))\" y=\"\(fmt(height - bottom + 14))\" font-size=\"10\" text-anchor=\"middle\">\(escape(bar.0))</text>"
            }
        }
        svg += "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(height - 4))\" font-size=\"11\" text-anchor=\"middle\">latency ≤ ms</text>"
        return svg + "</svg>"
    }

    private static func open() -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" font-family=\"sans-serif\">"
    }

    private static func emptyChart(_ text: String) -> String {
        open() + "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" fill=\"#888\">\(text)</text></svg>"
    }

    private static func grid(yMax: Double, xMin: Double?, xMax: Double?, yLabel: String, format: (Double) -> String) -> String {
        let plotW = width - left - right
        let plotH = height - top - bottom
        var svg = "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(plotW))\" height=\"\(fmt(plotH))\" fill=\"#fafafa\" stroke=\"#ccc\"/>"
        for i in 0...4 {
            let v = yMax * Double(i) / 4
            let y = top + plotH - plotH * Double(i) / 4
            svg += "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + plotW))\" y1=\"\(fmt(y))\" y2=\"\(fmt(y))\" stroke=\"#e3e3e3\"/>"
            svg += "<text x=\"\(fmt(left - 6))\" y=\"\(fmt(y + 4))\" font-size=\"10\" text-anchor=\"end\">\(format(v))</text>"
        }
        if let xMin, let xMax {
            for i in 0...5 {
                let v = xMin + (xMax - xMin) * Double(i) / 5
                let x = left + plotW * Double(i) / 5
                let label = xMax - xMin < 20 ? String(format: "%.1fs", v) : NumberFormat.duration(v)
                svg += "<text x=\"\(fmt(x))\" y=\"\(fmt(height - bottom + 14))\" font-size=\"10\" text-anchor=\"middle\">\(label)</text>"
            }
        }
        svg += "<text x=\"12\" y=\"\(fmt(top + plotH / 2))\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(fmt(top + plotH / 2)))\">\(escape(yLabel))</text>"
        return svg
    }

    private static func legend(_ items: [(String, String)]) -> String {
        var svg = ""
        var x = left + 8
        for (name, color) in items {
            svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(top + 6))\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(fmt(x + 14))\" y=\"\(fmt(top + 15))\" font-size=\"11\">\(escape(name))</text>"
            x += 24 + Double(name.count) * 6.5
        }
        return svg
    }

    static func niceCeiling(_ v: Double) -> Double {
        let exp = pow(10, floor(log10(v)))
        for m in [1.0, 2, 2.5, 5, 10] where m * exp >= v { return m * exp }
        return 10 * exp
    }

    static func short(_ v: Double) -> String {
        if v >= 1_000_000 { return String(format3: v / 1_000_000) + "M" }
        if v >= 10_000 { return String(format3: v / 1000) + "k" }
        return String(format3: v)
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }

    static func escape(_ s: String) -> String { JUnitReport.escape(s) }
}
