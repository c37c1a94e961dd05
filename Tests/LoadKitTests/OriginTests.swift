import Testing
@testable import LoadKit

@Suite struct OriginTests {
    @Test func parsesURLs() throws {
        let u = try #require(TargetURL("http://127.0.0.1:8000/api/x?y=1#frag"))
        #expect(u.origin == Origin(tls: false, host: "127.0.0.1", port: 8000))
        #expect(u.pathAndQuery == "/api/x?y=1")
        let s = try #require(TargetURL("https://Example.test"))
        #expect(s.origin.port == 443 && s.origin.tls)
        #expect(s.pathAndQuery == "/")
        let v6 = try #require(TargetURL("http://[::1]:9/"))
        #expect(v6.origin.host == "::1" && v6.origin.hostHeader == "[::1]:9")
        #expect(TargetURL("ftp://x") == nil)
        #expect(TargetURL("http://host:99999/") == nil)
        #expect(TargetURL("/relative") == nil)
    }

    @Test func resolvesLocations() throws {
        let base = try #require(TargetURL("http://h:1/a/b?q=1"))
        #expect(base.resolving("/c")?.pathAndQuery == "/c")
        #expect(base.resolving("c")?.pathAndQuery == "/a/c")
        #expect(base.resolving("?z=2")?.pathAndQuery == "/a/b?z=2")
        #expect(base.resolving("http://other:2/x")?.origin.host == "other")
        #expect(base.resolving("//other:3/y")?.origin.port == 3)
    }
}
