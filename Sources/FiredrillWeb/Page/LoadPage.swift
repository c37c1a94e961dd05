import Foundation

/// The load test's page (`load.html`, compiled into the binary): start form, live charts, tables, downloads.
enum LoadPage {
    static let html = Data(PackageResources.load_html)
}
