import ArgumentParser
import FiredrillSupport
import Foundation
import LoadKit

/// `--url` and its request: load one URL without a scenario file.
struct SingleURLOptions: ParsableArguments {
    @Option(help: "Load one URL without a scenario file (GET unless --method).")
    var url: String?

    @Option(help: "HTTP method for --url.")
    var method = "GET"

    @Option(name: [.customShort("H"), .customLong("header")], help: "Header 'Name: value' for --url (repeatable).")
    var headers: [String] = []

    @Option(help: "Request body for --url (sent as application/json when it parses as JSON).")
    var body: String?

    @Option(help: "Wait between tasks for --url: '1-3' (between), '2' (constant); default none.")
    var wait: String?

    /// A one-request plan for `url`: one user, spawned at once, until stopped (the overrides set the load).
    func plan(url: String) throws -> LoadPlan {
        // The scenario's rule for `method:`: letters only (a space or line break would break the request line).
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter }) else { throw PlanError(message: "--method '\(method)' is not an HTTP method") }
        return try LoadPlan.single(
            url: url, method: method, headers: try parsedHeaders(), body: parsedBody(), wait: try parsedWait(),
            load: .closed(users: 1, spawnRate: 1, runTime: nil))
    }

    func parsedHeaders() throws -> [NamedTemplate] {
        try headers.map { h in
            guard let colon = h.firstIndex(of: ":"), !NamedTemplate.breaksHeaderLine(h) else {
                throw PlanError(message: "--header '\(h)' must look like 'Name: value'")
            }
            let name = h[..<colon].trimmingCharacters(in: .whitespaces)
            let value = h[h.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            return NamedTemplate(name, Template(literal: value))
        }
    }

    func parsedBody() -> BodySpec {
        guard let body else { return .none }
        let isJSON = (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) != nil
        return .text(Template(literal: body), contentType: isJSON ? "application/json" : "text/plain; charset=utf-8")
    }

    func parsedWait() throws -> WaitTime {
        guard let wait else { return .none }
        let parts = wait.split(separator: "-").map { DurationText.seconds(String($0)) }
        if parts.count == 2, let lo = parts[0], let hi = parts[1], lo <= hi { return .between(lo, hi) }
        if parts.count == 1, let c = parts[0] { return .constant(c) }
        throw PlanError(message: "--wait '\(wait)' must be 'MIN-MAX' or a number of seconds")
    }
}
