import FiredrillSupport
import Foundation

/// Inline SVG charts for HTML reports: no scripts, no external assets, one `<svg>` element each.
///
/// Every chart is `width` × `height` view-box units with the plot area inset by `left`, `right`,
/// `top` and `bottom`, so other inline SVG (a timeline strip) can line up with a chart's x axis.
public enum SVGChart {
    /// A named series of (x, y) points, drawn as one line.
    public struct Series: Sendable {
        /// The legend text.
        public var name: String
        /// A CSS colour, e.g. `#4c78a8`.
        public var color: String
        /// The points in x order; a nil or non-finite y (or x) breaks the line there.
        public var points: [(x: Double, y: Double?)]

        /// A series without gaps.
        public init(name: String, color: String, points: [(Double, Double)]) {
            self.name = name
            self.color = color
            self.points = points.map { (x: $0.0, y: Optional($0.1)) }
        }

        /// A series whose nil values break the line rather than drawing zero.
        public init(name: String, color: String, gappedPoints: [(Double, Double?)]) {
            self.name = name
            self.color = color
            self.points = gappedPoints.map { (x: $0.0, y: $0.1) }
        }
    }

    /// A horizontal dashed line at a y value (a target, an SLA), labelled at the plot's right edge.
    /// The y scale always stretches to show it.
    public struct ReferenceLine: Sendable {
        public var value: Double
        public var label: String
        public var color: String

        public init(_ value: Double, label: String, color: String = "#777") {
            self.value = value
            self.label = label
            self.color = color
        }
    }

    /// A vertical dotted line at an x value (a fault injected, a fix), labelled along the line.
    /// Markers outside the x range are not drawn.
    public struct Marker: Sendable {
        public var x: Double
        public var label: String
        public var color: String

        public init(x: Double, label: String, color: String = "#555") {
            self.x = x
            self.label = label
            self.color = color
        }
    }

    /// The view-box width.
    public static let width = 860.0
    /// The view-box height.
    public static let height = 240.0
    /// The plot area's left inset (room for the y labels).
    public static let left = 60.0
    /// The plot area's right inset.
    public static let right = 16.0
    /// The plot area's top inset.
    public static let top = 16.0
    /// The plot area's bottom inset (room for the x labels).
    public static let bottom = 36.0

    /// A line chart with a legend; x in seconds, y from 0.
    ///
    /// - Parameters:
    ///   - xRange: the x axis; by default the data's x extent. Give several charts the same range to
    ///     line them up.
    ///   - references: horizontal dashed lines; the y scale includes them.
    ///   - markers: vertical dotted lines.
    ///   - xLabel: a caption under the x axis.
    ///   - xFormat: the x tick labels; by default `12.5s` under 20 s, `2m05s` above.
    ///   - emptyText: shown instead of a plot when no series has a finite point.
    public static func lines(_ series: [Series], yLabel: String, xRange: ClosedRange<Double>? = nil,
                             references: [ReferenceLine] = [], markers: [Marker] = [], xLabel: String? = nil,
                             xFormat: ((Double) -> String)? = nil, emptyText: String = "no data yet") -> String {
        let finite = series.flatMap { s in
            s.points.compactMap { p -> (Double, Double)? in
                guard let y = p.y, y.isFinite, p.x.isFinite else { return nil }
                return (p.x, y)
            }
        }
        let xMin: Double
        let xMax: Double
        if let xRange, xRange.lowerBound.isFinite, xRange.upperBound.isFinite, xRange.upperBound > xRange.lowerBound {
            xMin = xRange.lowerBound
            xMax = xRange.upperBound
        } else {
            guard let dataMax = finite.map(\.0).max(), dataMax > 0 else { return emptyChart(emptyText) }
            xMin = finite.map(\.0).min() ?? 0
            xMax = dataMax
        }
        guard let yMaxRaw = finite.map(\.1).max() else { return emptyChart(emptyText) }
        let referenceValues = references.map(\.value).filter(\.isFinite)
        let yMax = niceCeiling(max(([yMaxRaw] + referenceValues).max() ?? yMaxRaw, 1e-9))
        let plotW = width - left - right
        let plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - xMin) / max(xMax - xMin, 1e-9) * plotW }
        func py(_ y: Double) -> Double { top + plotH - y / yMax * plotH }
        var svg = open()
        svg += grid(yMax: yMax, xMin: xMin, xMax: xMax, yLabel: yLabel, format: { v in short(v) }, xFormat: xFormat)
        for r in references where r.value.isFinite {
            let y = fmt(py(r.value))
            svg += "<line x1=\"\(fmt(left))\" x2=\"\(fmt(left + plotW))\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"\(r.color)\""
            svg += " stroke-width=\"1.2\" stroke-dasharray=\"6 4\"><title>\(escape(r.label))</title></line>"
            svg += "<text x=\"\(fmt(left + plotW - 4))\" y=\"\(fmt(py(r.value) - 3))\" font-size=\"10\" text-anchor=\"end\""
            svg += " fill=\"\(r.color)\">\(escape(r.label))</text>"
        }
        for s in series where !s.points.isEmpty {
            svg += path(s, px: px, py: py)
        }
        for m in markers where m.x.isFinite && m.x >= xMin && m.x <= xMax {
            let x = px(m.x)
            svg += "<line x1=\"\(fmt(x))\" x2=\"\(fmt(x))\" y1=\"\(fmt(top))\" y2=\"\(fmt(top + plotH))\" stroke=\"\(m.color)\""
            svg += " stroke-width=\"1.2\" stroke-dasharray=\"2 3\"><title>\(escape(m.label))</title></line>"
            let ty = top + plotH - 4
            svg += "<text x=\"\(fmt(x - 3))\" y=\"\(fmt(ty))\" font-size=\"10\" fill=\"\(m.color)\""
            svg += " transform=\"rotate(-90 \(fmt(x - 3)) \(fmt(ty)))\">\(escape(m.label))</text>"
        }
        if let xLabel {
            svg += "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(height - 4))\" font-size=\"11\" text-anchor=\"middle\">\(escape(xLabel))</text>"
        }
        svg += legend(series.map { ($0.name, $0.color) })
        return svg + "</svg>"
    }

    /// A bar chart of (label, value).
    public static func bars(_ bars: [(String, Double)], yLabel: String) -> String {
        guard let yMaxRaw = bars.map(\.1).filter(\.isFinite).max(), yMaxRaw > 0 else { return emptyChart("no data") }
        let yMax = niceCeiling(yMaxRaw)
        let plotW = width - left - right
        let plotH = height - top - bottom
        let slot = plotW / Double(bars.count)
        var svg = open()
        svg += grid(yMax: yMax, xMin: nil, xMax: nil, yLabel: yLabel, format: { v in short(v) })
        let labelEvery = max(1, bars.count / 12)
        for (i, bar) in bars.enumerated() {
            let h = bar.1.isFinite ? max(bar.1, 0) / yMax * plotH : 0
            let x = left + Double(i) * slot
            let count = bar.1.isFinite ? "\(Int(bar.1))" : "?"
            svg += "<rect x=\"\(fmt(x + 1))\" y=\"\(fmt(top + plotH - h))\" width=\"\(fmt(max(slot - 2, 1)))\" height=\"\(fmt(h))\" fill=\"#4c78a8\"><title>≤ \(escape(bar.0)) ms: \(count)</title></rect>"
            if i % labelEvery == 0 {
                svg += "<text x=\"\(fmt(x + slot / 2))\" y=\"\(fmt(height - bottom + 14))\" font-size=\"10\" text-anchor=\"middle\">\(escape(bar.0))</text>"
            }
        }
        svg += "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(height - 4))\" font-size=\"11\" text-anchor=\"middle\">latency ≤ ms</text>"
        return svg + "</svg>"
    }

    /// The line for one series: a sub-path per run of points between gaps, a dot for a point alone.
    private static func path(_ s: Series, px: (Double) -> Double, py: (Double) -> Double) -> String {
        var runs: [[(Double, Double)]] = [[]]
        for p in s.points {
            if let y = p.y, y.isFinite, p.x.isFinite {
                runs[runs.count - 1].append((p.x, y))
            } else if !(runs.last?.isEmpty ?? true) {
                runs.append([])
            }
        }
        let d = runs.filter { $0.count > 1 }.flatMap { run in
            run.enumerated().map { i, p in "\(i == 0 ? "M" : "L")\(fmt(px(p.0))),\(fmt(py(p.1)))" }
        }
        var svg = ""
        if !d.isEmpty {
            svg += "<path d=\"\(d.joined(separator: " "))\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.6\"/>"
        }
        for run in runs where run.count == 1 {
            svg += "<circle cx=\"\(fmt(px(run[0].0)))\" cy=\"\(fmt(py(run[0].1)))\" r=\"1.8\" fill=\"\(s.color)\"/>"
        }
        return svg
    }

    private static func open() -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\" font-family=\"sans-serif\">"
    }

    private static func emptyChart(_ text: String) -> String {
        open() + "<text x=\"\(Int(width / 2))\" y=\"\(Int(height / 2))\" text-anchor=\"middle\" fill=\"#888\">\(escape(text))</text></svg>"
    }

    private static func grid(yMax: Double, xMin: Double?, xMax: Double?, yLabel: String, format: (Double) -> String,
                             xFormat: ((Double) -> String)? = nil) -> String {
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
                let label = xFormat.map { escape($0(v)) }
                    ?? (xMax - xMin < 20 ? String(format: "%.1fs", v) : NumberFormat.duration(v))
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
        guard v.isFinite, v > 0 else { return 1 }
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

    static func escape(_ s: String) -> String { MarkupText.escape(s) }
}
