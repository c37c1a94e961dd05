import FiredrillSupport
import Foundation
import LoadKit

/// The timeline as a horizontal inline SVG strip on the charts' x axis: a dot per event, coloured by
/// kind, with labels in as many rows as they need (an event whose label fits nowhere keeps its dot
/// and tooltip; the table under the strip lists every event).
enum TimelineStrip {
    static let axisY = 30.0
    static let firstRow = 54.0
    static let rowHeight = 15.0
    static let maxRows = 6
    static let charWidth = 5.6

    static func svg(_ facts: JournalFacts) -> String {
        let range = facts.xRange
        let left = SVGChart.left
        let plotW = SVGChart.width - SVGChart.left - SVGChart.right
        func px(_ x: Double) -> Double {
            let t = (x - range.lowerBound) / max(range.upperBound - range.lowerBound, 1e-9)
            return left + min(max(t.isFinite ? t : 0, 0), 1) * plotW
        }
        let events = facts.journal.timeline.sorted { $0.at < $1.at }
        // Greedy rows: each label goes into the first row where it does not overlap the previous one.
        var rowEnds: [Double] = []
        var labels = ""
        for event in events {
            let x = px(facts.offset(event.at))
            let text = event.label.count > 40 ? String(event.label.prefix(39)) + "…" : event.label
            let width = Double(text.count) * charWidth
            let anchorEnd = x + width > SVGChart.width - 2
            let start = anchorEnd ? x - width : x
            let end = anchorEnd ? x : x + width
            guard let row = rowEnds.firstIndex(where: { $0 + 8 < start }) ?? (rowEnds.count < maxRows ? rowEnds.count : nil)
            else { continue }
            if row == rowEnds.count { rowEnds.append(end) } else { rowEnds[row] = end }
            let y = firstRow + Double(row) * rowHeight
            let color = EventStyle.color(event.kind)
            labels += "<line x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(axisY + 7))\" y2=\"\(f(y - 9))\" stroke=\"\(color)\" stroke-width=\"0.8\" opacity=\"0.6\"/>"
            labels += "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"10\" fill=\"\(color)\"\(anchorEnd ? " text-anchor=\"end\"" : "")>"
            labels += MarkupText.escape(text) + "</text>"
        }
        let height = firstRow + Double(max(rowEnds.count, 1)) * rowHeight
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(SVGChart.width)) \(Int(height))\""
        svg += " width=\"100%\" role=\"img\" font-family=\"sans-serif\" class=\"timeline\">"
        svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(axisY))\" y2=\"\(f(axisY))\" stroke=\"#999\"/>"
        for i in 0...5 {
            let v = range.lowerBound + (range.upperBound - range.lowerBound) * Double(i) / 5
            let x = left + plotW * Double(i) / 5
            svg += "<line x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(axisY - 4))\" y2=\"\(f(axisY + 4))\" stroke=\"#999\"/>"
            svg += "<text x=\"\(f(x))\" y=\"\(f(axisY - 10))\" font-size=\"10\" text-anchor=\"middle\">\(DrillFormat.tick(v))</text>"
        }
        if events.isEmpty {
            svg += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(firstRow))\" font-size=\"11\" text-anchor=\"middle\" fill=\"#888\">no events</text>"
        }
        svg += labels
        for event in events {
            let x = px(facts.offset(event.at))
            let title = "\(DrillFormat.offset(facts.offset(event.at))) \(EventStyle.name(event.kind)): \(event.label)"
            svg += "<circle cx=\"\(f(x))\" cy=\"\(f(axisY))\" r=\"5.5\" fill=\"\(EventStyle.color(event.kind))\" stroke=\"#fff\""
            svg += " stroke-width=\"1.2\"><title>\(MarkupText.escape(title))</title></circle>"
        }
        return svg + "</svg>"
    }

    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }
}
