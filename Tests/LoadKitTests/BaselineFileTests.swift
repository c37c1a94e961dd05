import Foundation
import Testing
@testable import LoadKit

/// `--baseline` and `firedrill compare` paths that are not readable files: the message says why in
/// words, never Foundation's `NSCocoaErrorDomain error 256`.
@Suite struct BaselineFileTests {
    @Test func aDirectoryIsNamedAsOne() throws {
        let directory = FileManager.default.temporaryDirectory.path
        let error = #expect(throws: RunRecordError.self) { try RunRecord.load(path: directory) }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains(directory))
        #expect(message.contains("is a directory"))
        #expect(!message.contains("NSCocoaErrorDomain"))
    }

    @Test func aMissingFileSaysSo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-no-such-\(UUID()).json").path
        let error = #expect(throws: RunRecordError.self) { try RunRecord.load(path: path) }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains(path))
        #expect(message.contains("No such file"))
        #expect(!message.contains("NSCocoaErrorDomain"))
    }
}
