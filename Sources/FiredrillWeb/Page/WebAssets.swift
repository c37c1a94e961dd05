import Foundation
import Hummingbird

/// The pages and what they share (`style.css`, `charts.js`), compiled into the binary.
enum WebAssets {
    static let loadPage = Data(PackageResources.load_html)
    static let drillPage = Data(PackageResources.drill_html)
    static let style = Data(PackageResources.style_css)
    static let charts = Data(PackageResources.charts_js)

    /// `GET /style.css` and `GET /charts.js`.
    static func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/style.css") { _, _ in WebResponses.bytes(style, type: "text/css; charset=utf-8") }
        router.get("/charts.js") { _, _ in WebResponses.bytes(charts, type: "text/javascript; charset=utf-8") }
    }
}
