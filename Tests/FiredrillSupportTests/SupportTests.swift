@testable import FiredrillSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite struct JSONTextTests {
    @Test func escapesWhatJSONRequires() throws {
        let text = "a\"b\\c\nd\te\r\u{01}é"
        let quoted = JSONText.quoted(text)
        #expect(quoted == #""a\"b\\c\nd\te\r\u0001é""#)
        // Foundation reads back exactly the original.
        let decoded = try JSONDecoder().decode(String.self, from: Data(quoted.utf8))
        #expect(decoded == text)
        #expect(JSONText.quoted("plain") == "\"plain\"")
    }
}

@Suite struct MarkupTextTests {
    @Test func escapesWhatXMLRequires() throws {
        let escaped = MarkupText.escape("<a href=\"x\">Tom & Jerry's</a>\r\n\u{01}")
        #expect(escaped == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;&#13;\n\u{FFFD}")
        // An XML parser reads back the text (the forbidden control character as U+FFFD).
        let document = try XMLDocument(xmlString: "<t>\(escaped)</t>")
        #expect(document.rootElement()?.stringValue == "<a href=\"x\">Tom & Jerry's</a>\r\n\u{FFFD}")
    }

    @Test func withoutQuotesEscapesAsLocustDoes() {
        // Python: html.escape('<a href="x">Tom & Jerry\'s</a>\r\n\x01', quote=False)
        #expect(MarkupText.escape("<a href=\"x\">Tom & Jerry's</a>\r\n\u{01}", quotes: false)
            == "&lt;a href=\"x\"&gt;Tom &amp; Jerry's&lt;/a&gt;\r\n\u{01}")
    }
}

@Suite struct URLTextTests {
    @Test func dropsOneTrailingSlash() {
        #expect(URLText.base("http://127.0.0.1:9090/") == "http://127.0.0.1:9090")
        #expect(URLText.base("http://127.0.0.1:9090") == "http://127.0.0.1:9090")
        #expect(URLText.base("http://h/api/") == "http://h/api")
    }

    @Test func bracketsAnIPv6Host() {
        #expect(URLText.host("::1") == "[::1]")
        #expect(URLText.host("127.0.0.1") == "127.0.0.1")
        #expect(URLText.host("localhost") == "localhost")
    }

    @Test func buildsAListenersURL() {
        #expect(URLText.http(host: "::1", port: 9646, path: "/metrics") == "http://[::1]:9646/metrics")
        #expect(URLText.http(host: "127.0.0.1", port: 8089, path: "/") == "http://127.0.0.1:8089/")
    }
}

@Suite struct SuggestionTests {
    @Test func closestCandidate() {
        #expect(Suggestion.closest(to: "wokers", in: ["workers", "memory_limit"]) == "workers")
        #expect(Suggestion.closest(to: "THRESHOLDS", in: ["thresholds"]) == "thresholds")
        #expect(Suggestion.closest(to: "zzzzzz", in: ["workers"]) == nil)
        #expect(Suggestion.hint(for: "usrs", in: ["users", "spawn_rate"]) == " (did you mean 'users'?)")
        #expect(Suggestion.hint(for: "qqq", in: ["users"]) == "")
        #expect(Suggestion.distance("kitten", "sitting") == 3)
    }
}

@Suite struct ExpositionTests {
    static let text = """
        # HELP http_requests_total Requests served.
        # TYPE http_requests_total counter
        http_requests_total{route="/a",status="200"} 12
        http_requests_total{route="/b\\"q\\"",status="500"} 3 1700000000000
        # TYPE up gauge
        up 1
        garbage line here
        lat_bucket{le="+Inf"} 4
        """

    @Test func familiesAndSamples() {
        let exposition = Exposition(parsing: Self.text)
        #expect(exposition.families == [
            MetricFamily(name: "http_requests_total", type: "counter", help: "Requests served."),
            MetricFamily(name: "up", type: "gauge", help: ""),
        ])
        #expect(exposition.samples.count == 4)
        #expect(exposition.samples[0].series == #"http_requests_total{route="/a",status="200"}"#)
        #expect(exposition.samples[1].labels["route"] == #"/b"q""#)
        #expect(exposition.samples[1].value == 3)
        #expect(exposition.samples[2] == ExpositionSample(name: "up", labels: [:], value: 1))
        #expect(Exposition.number("+Inf") == .infinity)
    }
}
