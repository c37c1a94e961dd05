import Crypto
import Foundation
import Hummingbird
import MultipartKit

/// An upload streamed to a temp file: its path, size and SHA-256, plus any small form fields that
/// came with it in a multipart body.
struct UploadFile: Sendable {
    let url: URL
    let size: Int64
    let sha256: String
    let fileName: String?
    let fields: [String: String]

    /// Streams `body` to `url`, refusing more than `limit` bytes (413). A raw body is the file; a
    /// `multipart/form-data` body yields its `file` part (or the first part with a filename).
    static func receive(
        _ body: RequestBody, contentType: String?, to url: URL, limit: Int64
    ) async throws -> UploadFile {
        let sink = try FileSink(url: url)
        do {
            if let contentType, contentType.lowercased().hasPrefix("multipart/form-data") {
                guard let boundary = boundary(of: contentType) else {
                    throw AnalyzerError.malformed("invalid_multipart", "multipart/form-data without a boundary parameter")
                }
                // MultipartKit traps on an empty boundary; RFC 2046 allows 1 to 70 characters, the last not a space.
                guard (1...70).contains(boundary.count), boundary.last != " " else {
                    throw AnalyzerError.malformed(
                        "invalid_multipart",
                        "multipart/form-data boundary must be 1 to 70 characters, the last not a space (RFC 2046); got '\(boundary.prefix(80))'")
                }
                let form = MultipartFileReader(boundary: boundary, sink: sink)
                var received: Int64 = 0
                for try await buffer in body {
                    received += Int64(buffer.readableBytes)
                    if received > limit + 64 * 1024 { throw tooLarge(limit) }
                    try form.feed(buffer)
                    if sink.size > limit { throw tooLarge(limit) }
                }
                guard form.sawFile else {
                    throw AnalyzerError.malformed("missing_file", "multipart body has no 'file' part with a CSV file")
                }
                guard form.fileComplete else {
                    throw AnalyzerError.malformed(
                        "invalid_multipart", "multipart body ends inside the file part, before its closing boundary: the upload is truncated")
                }
                try sink.finish()
                return UploadFile(url: url, size: sink.size, sha256: sink.digest(), fileName: form.fileName, fields: form.fields)
            }
            for try await buffer in body {
                try sink.write(buffer)
                if sink.size > limit { throw tooLarge(limit) }
            }
            try sink.finish()
            return UploadFile(url: url, size: sink.size, sha256: sink.digest(), fileName: nil, fields: [:])
        } catch {
            sink.abandon()
            throw error
        }
    }

    private static func tooLarge(_ limit: Int64) -> AnalyzerError {
        AnalyzerError(.tooLarge, code: "payload_too_large",
            "upload exceeds the limit of \(ByteSize.format(limit)) (--max-upload-size)")
    }

    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            return pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}

/// Appends bytes to a file while hashing them; removes the file when abandoned.
final class FileSink: @unchecked Sendable {
    private let url: URL
    private let fd: Int32
    private var hasher = SHA256()
    private(set) var size: Int64 = 0
    private var closed = false

    init(url: URL) throws {
        self.url = url
        fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path]) }
    }

    func write(_ buffer: ByteBuffer) throws {
        try buffer.withUnsafeReadableBytes { try write($0) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
            offset += n
        }
        size += Int64(bytes.count)
    }

    /// Flushes to disk and closes.
    func finish() throws {
        guard !closed else { return }
        closed = true
        fsync(fd)
        close(fd)
    }

    func digest() -> String {
        hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Closes and deletes the partial file.
    func abandon() {
        if !closed {
            closed = true
            close(fd)
        }
        unlink(url.path)
    }
}

/// Feeds a multipart body to MultipartKit's streaming parser, writing the file part to a sink.
final class MultipartFileReader: @unchecked Sendable {
    private let parser: MultipartParser
    private var headerGuard: MultipartHeaderGuard
    private(set) var fields: [String: String] = [:]
    private(set) var fileName: String?
    private(set) var sawFile = false
    /// Whether the file part reached its closing boundary (a body cut short never does).
    private(set) var fileComplete = false
    private var error: (any Error)?

    private enum Part {
        case none, file, field(String)
    }
    private var part: Part = .none
    private var headers: [String: String] = [:]
    private var fieldBytes: [UInt8] = []

    init(boundary: String, sink: FileSink) {
        parser = MultipartParser(boundary: boundary)
        headerGuard = MultipartHeaderGuard(boundary: boundary)
        parser.onHeader = { [unowned self] name, value in headers[name.lowercased()] = value }
        parser.onBody = { [unowned self] buffer in
            if case .none = part { part = classify() }
            switch part {
            case .file:
                do { try sink.write(buffer) } catch { self.error = error }
            case .field:
                if fieldBytes.count < 64 * 1024 { fieldBytes.append(contentsOf: buffer.readableBytesView) }
            case .none:
                break
            }
        }
        parser.onPartComplete = { [unowned self] in
            if case .none = part { part = classify() }
            if case .field(let name) = part { fields[name] = String(decoding: fieldBytes, as: UTF8.self) }
            if case .file = part { fileComplete = true }
            part = .none
            headers = [:]
            fieldBytes = []
        }
    }

    /// Parses the next chunk; a body that is not valid multipart is a 400 `invalid_multipart`.
    func feed(_ buffer: ByteBuffer) throws {
        guard headerGuard.accepts(buffer.readableBytesView) else {
            throw AnalyzerError.malformed("invalid_multipart", "malformed multipart/form-data body: a part's header name is not ASCII")
        }
        do {
            try parser.execute(buffer)
        } catch {
            throw AnalyzerError.malformed("invalid_multipart", "malformed multipart/form-data body (\(error)): expected parts separated by the boundary")
        }
        if let error { throw error }
    }

    private func classify() -> Part {
        let disposition = headers["content-disposition"] ?? ""
        let name = Self.parameter("name", in: disposition)
        let file = Self.parameter("filename", in: disposition)
        if !sawFile, file != nil || name == "file" {
            sawFile = true
            fileName = file
            return .file
        }
        return .field(name ?? "")
    }

    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            return pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
