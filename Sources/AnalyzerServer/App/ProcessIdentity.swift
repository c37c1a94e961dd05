import Foundation

/// Who this process is to the other csv-analyzer processes sharing a database and a data directory:
/// `host:pid`. Training rows and temp files carry it, so that a starting process removes only what a
/// dead process left behind, never the work of a live sibling (another worker, another replica).
enum ProcessIdentity {
    /// This machine's host name.
    static let host: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }()

    /// This process's id.
    static let pid: Int32 = getpid()

    /// `host:pid`, stored as a training model's owner.
    static var owner: String { "\(host):\(pid)" }

    /// Whether the process `owner` (`host:pid`) is known to be dead: true only for a process on this
    /// host whose pid no longer exists; nil when it cannot be told (another host, unparseable).
    static func isDead(owner: String) -> Bool? {
        guard let colon = owner.lastIndex(of: ":"), let pid = Int32(owner[owner.index(after: colon)...]) else { return nil }
        guard owner[..<colon] == host else { return nil }
        return !isAlive(pid)
    }

    /// Whether a process with this pid exists on this host.
    static func isAlive(_ pid: Int32) -> Bool {
        if pid == self.pid { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
