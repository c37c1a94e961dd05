import Foundation

/// The `firedrill` executable built beside the tests (`swift build --build-tests` builds it), run to
/// check exit codes as a CI job sees them.
enum FiredrillBinary {
    /// Its path, or nil when it has not been built.
    static var path: String? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("firedrill").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Runs it with `arguments`; returns the exit code and standard error.
    static func run(_ arguments: [String]) throws -> (code: Int32, stderr: String)? {
        guard let path else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
