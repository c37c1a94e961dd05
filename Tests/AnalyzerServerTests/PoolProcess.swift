import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A real `csv-analyzer serve` process (supervisor and workers) on 127.0.0.1 with a free port and a temp data directory,
/// for tests of workers, signals and memory. Always stopped (by PID) when the test ends.
final class PoolProcess: @unchecked Sendable {
    let process = Process()
    let dataDirectory: URL
    private(set) var port = 0
    private let stderr = Pipe()
    private var output = Data()
    private let lock = NSLock()

    static let token = "test-token"

    /// The csv-analyzer binary built next to the test bundle.
    static var executable: URL {
        let me = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        return me.deletingLastPathComponent().appendingPathComponent("csv-analyzer")
    }

    init(_ arguments: [String]) throws {
        dataDirectory = TestService.temporaryDirectory()
        process.executableURL = Self.executable
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDirectory.path, "--admin-token", Self.token, "--log-level", "info"] + arguments
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self else { return }
            self.lock.lock()
            self.output.append(data)
            self.lock.unlock()
        }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let port = listeningPort() {
                self.port = port
                return
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        stop()
        throw ProcessFailure(message: "csv-analyzer did not start:\n\(log)")
    }

    struct ProcessFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// Everything the service wrote to stderr so far.
    var log: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: output, as: UTF8.self)
    }

    private func listeningPort() -> Int? { Self.listeningPort(in: log) }

    /// The port csv-analyzer (started with `--port 0`) logged that it listens on, once it has.
    static func listeningPort(in log: String) -> Int? {
        for line in log.split(separator: "\n") where line.contains("Server started and listening on 127.0.0.1:") {
            if let text = line.split(separator: ":").last, let port = Int(text.prefix { $0.isNumber }) { return port }
        }
        return nil
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Sends SIGTERM, waits up to `timeout`, then SIGKILL; removes the data directory.
    @discardableResult
    func stop(timeout: TimeInterval = 20) -> Int32? {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
        }
        stderr.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    // MARK: HTTP

    struct Reply {
        var status: Int
        var body: Data
        var headers: HTTPHeaders = [:]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func request(_ method: HTTPMethod, _ path: String, json: Any? = nil, body: Data? = nil, contentType: String? = nil, admin: Bool = false) async throws -> Reply {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        if admin { request.headers.add(name: "Authorization", value: "Bearer \(Self.token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        } else if let body {
            request.headers.add(name: "Content-Type", value: contentType ?? "text/csv")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), body: Data(buffer: collected), headers: response.headers)
    }

    /// Uploads iris and trains a logistic regression; returns the model id.
    func irisModel(algorithm: String = "logistic_regression") async throws -> String {
        let upload = try await request(.POST, "/api/datasets", body: try TestService.fixture("iris.csv"))
        let dataset = try #require(upload.json["id"] as? String, "\(upload.text)")
        let model = try await request(.POST, "/api/models", json: ["dataset": dataset, "target": "target", "algorithm": algorithm])
        return try #require(model.json["id"] as? String, "\(model.text)")
    }

    /// The worker pool as the admin API reports it.
    func workers() async throws -> [String: Any] { try await request(.GET, "/admin/workers", admin: true).json }

    /// Polls `/admin/workers` until `condition` holds (bounded).
    func waitForWorkers(timeout: TimeInterval = 60, _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        var last: [String: Any] = [:]
        while Date() < deadline {
            last = (try? await workers()) ?? [:]
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("workers never reached the expected state: \(last)")
        return last
    }

    /// A metric's value (summed over matching series) from `/metrics`.
    func metric(_ name: String, matching labels: String = "") async throws -> Double {
        let text = try await request(.GET, "/metrics").text
        return Self.value(of: name, labels: labels, in: text)
    }

    static func value(of name: String, labels: String, in text: String) -> Double {
        text.split(separator: "\n").filter { line in
            !line.hasPrefix("#") && (line.hasPrefix(name + " ") || line.hasPrefix(name + "{")) && (labels.isEmpty || line.contains(labels))
        }.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
    }
}

/// A bounded stream of predictions from several concurrent clients; counts failures.
actor PredictionLoad {
    private(set) var ok = 0
    private(set) var failures: [String] = []
    private var running = true

    static let row: [String: Double] = ["sepal length (cm)": 5.9, "sepal width (cm)": 3.0, "petal length (cm)": 5.1, "petal width (cm)": 1.8]

    /// Runs `clients` loops against `service` until `stop()` (or `maxRequests` in total).
    func run(_ service: PoolProcess, model: String, clients: Int = 4, maxRequests: Int = 20_000) async {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<clients {
                group.addTask {
                    while await self.shouldContinue(maxRequests) {
                        do {
                            let reply = try await service.request(.POST, "/api/models/\(model)/predict", json: Self.row)
                            await self.record(reply.status == 200 ? nil : "HTTP \(reply.status): \(reply.text)")
                        } catch {
                            await self.record("\(error)")
                        }
                    }
                }
            }
        }
    }

    private func shouldContinue(_ max: Int) -> Bool { running && ok + failures.count < max }
    private func record(_ failure: String?) {
        if let failure { failures.append(failure) } else { ok += 1 }
    }

    func stop() { running = false }
}
