import NIOCore

/// A response against a request's `checks:`.
extension VirtualUser {
    /// Nil when the response passes the checks, else the failure message.
    static func checkFailure(_ checks: Checks, head: ResponseParser.Head, body: ByteBuffer?, document: JSONValue?) -> String? {
        if let statuses = checks.status {
            if !statuses.contains(where: { $0.matches(head.status) }) {
                return "HTTP \(head.status)\(head.reason.isEmpty ? "" : " " + head.reason)"
                    + " (expected \(statuses.map(\.description).joined(separator: ", ")))"
            }
        } else if head.status >= 400 || head.status < 100 {
            return "HTTP \(head.status)\(head.reason.isEmpty ? "" : " " + head.reason)"
        }
        if !checks.bodyContains.isEmpty {
            let text = body.map { String(buffer: $0) } ?? ""
            for needle in checks.bodyContains where !text.contains(needle) {
                return "CheckFailed: body does not contain \"\(needle)\""
            }
        }
        if !checks.json.isEmpty, let document {
            for check in checks.json {
                if let message = check.failure(in: document) { return "CheckFailed: \(message)" }
            }
        } else if !checks.json.isEmpty {
            return "CheckFailed: response is not JSON"
        }
        return nil
    }
}
