import Foundation

/// Parses Alertmanager's webhook payload (version 4): `status`, `receiver` and `alerts[]`, each with
/// `status`, `labels` and `startsAt`. Other fields (annotations, group labels, …) are ignored.
enum WebhookPayload {
    /// The notification in `data`, stamped `receivedAt`.
    /// - Throws: `ControlError` naming the first field that is missing or of the wrong type.
    static func parse(_ data: Data, receivedAt: Date) throws -> AlertNotification {
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ControlError(message: "the body is not JSON: \(Self.reason(error))")
        }
        guard let object = json as? [String: Any] else {
            throw ControlError(message: "expected a JSON object (Alertmanager's webhook payload), got \(kind(json))")
        }
        let status = try string(object, "status", at: "")
        let receiver = try string(object, "receiver", at: "")
        guard let list = object["alerts"] else { throw ControlError(message: "alerts: missing") }
        guard let alerts = list as? [Any] else { throw ControlError(message: "alerts: expected an array, got \(kind(list))") }
        return AlertNotification(
            receivedAt: receivedAt, status: status, receiver: receiver,
            alerts: try alerts.enumerated().map { index, element in try alert(element, at: "alerts[\(index)]") })
    }

    private static func alert(_ element: Any, at path: String) throws -> AlertNotification.Alert {
        guard let object = element as? [String: Any] else {
            throw ControlError(message: "\(path): expected an object, got \(kind(element))")
        }
        let status = try string(object, "status", at: path + ".")
        guard let rawLabels = object["labels"] else { throw ControlError(message: "\(path).labels: missing") }
        guard let labelObject = rawLabels as? [String: Any] else {
            throw ControlError(message: "\(path).labels: expected an object, got \(kind(rawLabels))")
        }
        var labels: [String: String] = [:]
        for (name, value) in labelObject {
            guard let value = value as? String else {
                throw ControlError(message: "\(path).labels.\(name): expected a string, got \(kind(value))")
            }
            labels[name] = value
        }
        var startsAt: Date?
        if let raw = object["startsAt"], !(raw is NSNull) {
            guard let text = raw as? String, let date = HTTPJSON.date(text) else {
                throw ControlError(message: "\(path).startsAt: expected an RFC 3339 time, got \(kind(raw))")
            }
            startsAt = date
        }
        return AlertNotification.Alert(status: status, labels: labels, startsAt: startsAt)
    }

    private static func string(_ object: [String: Any], _ key: String, at prefix: String) throws -> String {
        guard let value = object[key] else { throw ControlError(message: "\(prefix)\(key): missing") }
        guard let string = value as? String else {
            throw ControlError(message: "\(prefix)\(key): expected a string, got \(kind(value))")
        }
        return string
    }

    private static func kind(_ value: Any) -> String {
        switch value {
        case is NSNull: "null"
        case let string as String: "\"\(string.prefix(40))\""
        case is [Any]: "an array"
        case is [String: Any]: "an object"
        case let number as NSNumber: "\(number)"
        default: "\(type(of: value))"
        }
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}
