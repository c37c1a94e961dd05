import Foundation

/// A tiny blocking HTTP/1.1 client over a POSIX socket, for tests that talk to a csv-analyzer child
/// process (and must be able to stop mid-request). Blocking calls run on a Dispatch thread, never on
/// Swift's cooperative pool; every socket has a 30 s receive timeout.
struct RawHTTP: Sendable {
    let port: Int

    struct Response: Sendable {
        let status: Int
        let body: Data
        /// The status line and header lines.
        var head = ""
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// One request on a fresh connection (`Connection: close`).
    func send(_ method: String, _ path: String, body: Data? = nil, contentType: String = "application/json") async throws -> Response {
        let port = port
        return try await Self.blocking {
            let connection = try Connection(port: port)
            defer { connection.close() }
            try connection.write(Self.head(method, path, contentType: contentType, length: body?.count))
            if let body { try connection.write(body) }
            return try connection.readResponse()
        }
    }

    /// `bytes` as they are on a fresh connection, and the answer read until the server closes the
    /// connection (a connection left open fails at the socket's 30 s receive timeout).
    func raw(_ bytes: String) async throws -> Response {
        let port = port
        return try await Self.blocking {
            let connection = try Connection(port: port)
            defer { connection.close() }
            try connection.write(Data(bytes.utf8))
            return try connection.readResponse()
        }
    }

    func json(_ method: String, _ path: String, _ object: Any) async throws -> Response {
        try await send(method, path, body: try JSONSerialization.data(withJSONObject: object))
    }

    static func head(_ method: String, _ path: String, contentType: String, length: Int?) -> Data {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let length { head += "Content-Type: \(contentType)\r\nContent-Length: \(length)\r\n" }
        return Data((head + "\r\n").utf8)
    }

    static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// A connected socket.
    final class Connection: @unchecked Sendable {
        let fd: Int32

        init(port: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
            var timeout = timeval(tv_sec: 30, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let failure = Self.connect(fd, port: port)
            guard failure == 0 else {
                Glibc.close(fd)
                throw Failure(description: "connect to 127.0.0.1:\(port) failed: errno \(failure)")
            }
        }

        /// Connects `fd` to 127.0.0.1:`port`: 0, or the errno of the failure.
        static func connect(_ fd: Int32, port: Int) -> Int32 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            return result == 0 ? 0 : errno
        }

        func write(_ data: Data) throws {
            try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw Failure(description: "send failed: errno \(errno)")
                    }
                    offset += n
                }
            }
        }

        /// Reads until the server closes the connection, then parses status and body.
        func readResponse() throws -> Response {
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure(description: "recv failed: errno \(errno) after \(data.count) bytes")
                }
                if n == 0 { break }
                data.append(contentsOf: buffer[0..<n])
            }
            guard let split = data.range(of: Data("\r\n\r\n".utf8)) else {
                throw Failure(description: "no HTTP response (\(data.count) bytes)")
            }
            let head = String(decoding: data[..<split.lowerBound], as: UTF8.self)
            let fields = head.split(separator: " ", maxSplits: 2)
            guard fields.count >= 2, let status = Int(fields[1]) else { throw Failure(description: "bad status line: \(head.prefix(80))") }
            var body = Data(data[split.upperBound...])
            if head.lowercased().contains("transfer-encoding: chunked") { body = Self.dechunk(body) }
            return Response(status: status, body: body, head: head)
        }

        static func dechunk(_ data: Data) -> Data {
            var out = Data()
            var rest = data[...]
            while let lineEnd = rest.range(of: Data("\r\n".utf8)) {
                let size = Int(String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self).trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
                if size == 0 { break }
                let start = lineEnd.upperBound
                out.append(rest[start..<min(rest.endIndex, start + size)])
                rest = rest[min(rest.endIndex, start + size + 2)...]
            }
            return out
        }

        func close() { Glibc.close(fd) }
    }
}
