import FiredrillSupport
import Foundation

/// What `firedrill merge` reads of a `--json` summary: the fields it adds up, decoded tolerantly
/// (fields it does not use may come and go).
struct RunFile: Decodable {
    struct Entry: Decodable {
        var method: String
        var name: String
        var requests: Int
        var failures: Int
        var avgMs: Double
        var minMs: Double
        var maxMs: Double
        var totalContentBytes: Int
        enum CodingKeys: String, CodingKey {
            case method, name, requests, failures, avgMs = "avg_ms", minMs = "min_ms", maxMs = "max_ms"
            case totalContentBytes = "total_content_bytes"
        }
    }
    struct Stats: Decodable {
        var entries: [Entry]
        var total: Entry
        var failures: [FailureStats]
        var exceptions: [ExceptionStats]
    }
    struct Point: Decodable {
        var time: Double
        var span: Double
        var users: Int
        var rps: Double
        var fps: Double
        var percentiles: [Double]
        var totalRequests: Int
        var totalFailures: Int
        enum CodingKeys: String, CodingKey {
            case time, span, users, rps, fps, percentiles, totalRequests = "total_requests", totalFailures = "total_failures"
        }
    }
    struct Threshold: Decodable { var threshold: String }
    struct Ramp: Decodable { var users: Int }
    struct Summary: Decodable {
        var startTime: Date
        var endTime: Date
        var duration: Double
        var stats: Stats
        var history: [Point]
        var thresholds: [Threshold]
        var endReason: String
        var abandonedRequests: Int
        var ramps: [Ramp]?
        enum CodingKeys: String, CodingKey {
            case startTime = "start_time", endTime = "end_time", duration, stats, history, thresholds
            case endReason = "end_reason", abandonedRequests = "abandoned_requests", ramps
        }
    }

    var host: String
    var summary: Summary
    var hdr: [HDRSnapshot]?

    /// Reads `path`; errors name the file and the field.
    static func load(path: String) throws(RunRecordError) -> RunFile {
        let data: Data
        do {
            data = try FileBytes.read(path)
        } catch {
            throw RunRecordError(path: path, message: error.reason)
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let file = try decoder.decode(RunFile.self, from: data)
            guard file.hdr != nil else {
                throw RunRecordError(path: path, message: "no 'hdr' histograms (written by a firedrill before merge existed?); rerun with --json")
            }
            return file
        } catch let e as RunRecordError {
            throw e
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw RunRecordError(path: path, message: "missing field \((ctx.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."))")
        } catch let DecodingError.typeMismatch(_, ctx), let DecodingError.valueNotFound(_, ctx) {
            throw RunRecordError(path: path, message: "wrong type at \(ctx.codingPath.map(\.stringValue).joined(separator: "."))")
        } catch {
            throw RunRecordError(path: path, message: "not a firedrill JSON summary (\(error))")
        }
    }
}
