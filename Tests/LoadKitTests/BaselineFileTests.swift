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

/// JSON of the wrong shape names the place and the expected kind, not Swift's `DecodingError` dump.
@Suite struct BaselineShapeTests {
    func message(_ json: String) -> String {
        do {
            _ = try RunRecord.decode(Data(json.utf8), path: "base.json")
            return "decoded"
        } catch {
            return "\(error)"
        }
    }

    @Test func anArrayIsNotASummary() {
        let text = message("[]")
        #expect(text.contains("base.json"))
        #expect(text.contains("the top level: expected an object"))
        #expect(!text.contains("DecodingError"))
    }

    @Test func aStringWhereANumberBelongsIsNamed() {
        let text = message(#"{"tool":"firedrill","version":1}"#)
        #expect(!text.contains("DecodingError"))
        #expect(!text.contains("Debug description"))
    }
}
