import Foundation

/// Reads a whole file a user named, with the reason in plain words when it cannot be read ("is a
/// directory", "does not exist", "permission denied") instead of Foundation's
/// `NSCocoaErrorDomain error 256`.
public enum FileBytes {
    /// The file's bytes.
    /// - Throws: `FileBytesError`, whose `reason` reads after the path (`PATH: reason`).
    public static func read(_ path: String) throws(FileBytesError) -> Data {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw FileBytesError(reason: "is a directory, not a file")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let code = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError)
                .flatMap { $0.domain == NSPOSIXErrorDomain ? Int32($0.code) : nil }
            if let code { throw FileBytesError(reason: "cannot read it (\(String(cString: strerror(code))))") }
            if !FileManager.default.fileExists(atPath: path) { throw FileBytesError(reason: "cannot read it (\(String(cString: strerror(ENOENT))))") }
            if !FileManager.default.isReadableFile(atPath: path) { throw FileBytesError(reason: "cannot read it (\(String(cString: strerror(EACCES))))") }
            throw FileBytesError(reason: "cannot read it")
        }
    }
}

/// Why ``FileBytes/read(_:)`` failed, in words that follow the path.
public struct FileBytesError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}
