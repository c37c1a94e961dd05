import AnalyzerAPI
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1

/// A worker's line to its supervisor: the whole-service `/metrics`, the admin API, and the
/// worker's own life-cycle reports (ready, recycle me).
struct SupervisorClient: Sendable {
    let socket: String
    let slot: Int
    let generation: Int

    /// The supervisor's merged exposition of all workers.
    func metrics() async throws -> [UInt8] {
        let reply = try await UnixHTTP.send(socket: socket, path: "/internal/metrics")
        guard reply.status == 200 else {
            throw AnalyzerError(.unavailable, code: "supervisor_unavailable", "the supervisor did not answer /metrics (\(reply.status))")
        }
        return Array(buffer: reply.body)
    }

    /// Tells the supervisor this worker serves.
    func ready(pid: Int32, workerSocket: String) async throws {
        _ = try await UnixHTTP.send(
            socket: socket, method: .POST, path: "/internal/ready",
            body: try UnixHTTP.json(WorkerHello(slot: slot, generation: generation, pid: pid, socket: workerSocket)))
    }

    /// Asks to be replaced (after `--max-requests`).
    func requestRecycle(pid: Int32) async throws {
        _ = try await UnixHTTP.send(
            socket: socket, method: .POST, path: "/internal/recycle",
            body: try UnixHTTP.json(WorkerHello(slot: slot, generation: generation, pid: pid, socket: "")))
    }

    /// The faults currently set (a new worker starts with them).
    func faults() async throws -> [ActiveFault] {
        let reply = try await UnixHTTP.send(socket: socket, path: "/internal/faults")
        return try JSONDecoder().decode([ActiveFault].self, from: Data(buffer: reply.body))
    }

    /// Forwards `/admin/**` to the supervisor, which owns the admin API for the whole service.
    func registerAdminProxy(on router: Router<BasicRequestContext>) {
        for method in [HTTPRequest.Method.get, .post, .put, .delete] {
            router.on("admin/**", method: method) { request, _ in
                let body = try await request.body.collect(upTo: 1 << 20)
                var headers: [(String, String)] = []
                if let auth = request.headers[.authorization] { headers.append(("Authorization", auth)) }
                if let type = request.headers[.contentType] { headers.append(("Content-Type", type)) }
                let reply = try await UnixHTTP.send(
                    socket: socket, method: HTTPMethod(rawValue: method.rawValue), path: request.uri.description,
                    headers: headers, body: body.readableBytes > 0 ? body : nil, timeout: .seconds(300))
                var fields = HTTPFields()
                if let type = reply.contentType { fields[.contentType] = type }
                if let allow = reply.allow { fields[.allow] = allow }
                return Response(status: .init(code: reply.status), headers: fields, body: .init(byteBuffer: reply.body))
            }
        }
    }
}

/// A worker introducing itself to the supervisor.
struct WorkerHello: Codable, Sendable {
    var slot: Int
    var generation: Int
    var pid: Int32
    var socket: String
}
