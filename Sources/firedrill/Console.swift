import ArgumentParser
import Foundation

/// Writes to standard output and standard error without buffering surprises.
enum Console {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes a line to standard output.
    static func line(_ text: String) {
        write(text + "\n")
    }

    /// Writes a line to standard error.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// Runs a client call of a subcommand; a refusal of type `Refusal` (the service's `ControlError`, the
/// proxy API's `ProxyClientError`) becomes a one-line error and exit code 1.
func exitOnRefusal<Refusal: Error, T>(_: Refusal.Type, _ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as Refusal {
        Console.error("firedrill: \(error)")
        throw ExitCode.failure
    }
}
