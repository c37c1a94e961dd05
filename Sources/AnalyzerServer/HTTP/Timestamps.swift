import Foundation

/// Times in API bodies: ISO 8601.
enum Timestamps {
    static func iso(_ seconds: Double) -> String {
        Date(timeIntervalSince1970: seconds).formatted(.iso8601)
    }
}
