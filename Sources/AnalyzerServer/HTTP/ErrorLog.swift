import Foundation
import Synchronization

/// The service's error log, a file like gunicorn's `--error-log`: one timestamped entry per
/// server-side error, with a trace where there is one. Appends with `O_APPEND`, so several worker
/// processes can share the file.
final class ErrorLog: Sendable {
    let path: String
    private let fd: Int32
    private let lock = Mutex(())

    init(path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(
            at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
    }

    deinit { close(fd) }

    /// Appends `[time] [pid] [ERROR] message`, then the trace lines.
    func write(_ message: String, trace: String? = nil) {
        let stamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        var entry = "[\(stamp)] [\(getpid())] [ERROR] \(message)\n"
        if let trace { entry += trace + "\n" }
        lock.withLock { _ in
            _ = entry.utf8CString.withUnsafeBufferPointer { Foundation.write(fd, $0.baseAddress!, $0.count - 1) }
        }
    }
}
