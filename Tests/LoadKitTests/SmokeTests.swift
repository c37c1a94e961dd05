import Testing
@testable import LoadKit

@Test func version() { #expect(!LoadKit.version.isEmpty) }
