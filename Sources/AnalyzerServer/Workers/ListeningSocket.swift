import Foundation

/// The service's one listening TCP socket, created by the supervisor and inherited by every
/// worker (as fd 3), so all workers accept from the same queue.
enum ListeningSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Binds `host:port` (IPv4 or IPv6 literal, or `localhost`) and listens; returns the fd
    /// (close-on-exec, numbered ≥ 10) and the bound port.
    static func bind(host: String, port: Int, backlog: Int32 = 1024) throws -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let info = result else {
            throw Failure(description: "cannot resolve --host '\(host)': \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(result) }
        let raw = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard raw >= 0 else { throw Failure(description: "socket(): \(String(cString: strerror(errno)))") }
        let fd = fcntl(raw, F_DUPFD_CLOEXEC, 10)
        close(raw)
        guard fd >= 0 else { throw Failure(description: "fcntl(): \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard Glibc.bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "cannot bind \(host):\(port): \(message)")
        }
        guard listen(fd, backlog) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "listen(): \(message)")
        }
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 ? $0.pointee : nil }
        }
        var actual = port
        if bound != nil {
            actual = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        }
        return (fd, actual)
    }
}
