import FiredrillSupport
import Foundation
import Testing
@testable import LoadKit

@Suite struct TemplateTests {
    @Test func tokenizes() throws {
        #expect(try Template.tokenize("a${x}b${ y.z }") == [.literal("a"), .reference("x"), .literal("b"), .reference("y.z")])
        #expect(try Template.tokenize("cost: $${5}") == [.literal("cost: ${5}")])
        #expect(try Template.tokenize("$$${a}") == [.literal("$${a}")])
        #expect(try Template.tokenize("$5 and ${a}") == [.literal("$5 and "), .reference("a")])
        #expect(throws: TemplateSyntaxError.self) { try Template.tokenize("${open") }
        #expect(throws: TemplateSyntaxError.self) { try Template.tokenize("${}") }
    }

    @Test func typesCSVCells() {
        #expect(TemplateValue(csvCell: "5") == .int(5))
        #expect(TemplateValue(csvCell: "5.1") == .double(5.1))
        #expect(TemplateValue(csvCell: "1e3") == .double(1000))
        #expect(TemplateValue(csvCell: "setosa") == .string("setosa"))
        #expect(TemplateValue(csvCell: "inf") == .string("inf"))
        #expect(TemplateValue(csvCell: "") == .string(""))
        #expect(TemplateValue.double(5.0).jsonText == "5")
        #expect(TemplateValue.string("a\"b\n").jsonText == #""a\"b\n""#)
    }

    @Test func readsCSV() throws {
        let rows = try CSVReader.parse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",2\n")
        #expect(rows == [["a", "b"], ["x, y", "say \"hi\""], ["multi\nline", "2"]])
        #expect(throws: CSVError.self) { try CSVReader.parse("a\n\"open") }
        #expect(throws: CSVError.self) { try Feeder(name: "f", csv: "a,b\n1\n", mode: .random) }
    }

    @Test func feederModes() throws {
        var rng = FastRandom()
        let seq = try Feeder(name: "s", csv: "a\n1\n2\n3\n", mode: .sequential)
        #expect((0..<5).map { _ in seq.nextRow(using: &rng) } == [0, 1, 2, 0, 1])
        let unique = try Feeder(name: "u", csv: "a\n1\n2\n", mode: .unique)
        #expect((0..<3).map { _ in unique.nextRow(using: &rng) } == [0, 1, nil])
        let random = try Feeder(name: "r", csv: "a\n1\n2\n3\n", mode: .random)
        #expect(Set((0..<200).compactMap { _ in random.nextRow(using: &rng) }) == [0, 1, 2])
    }

    @Test func generatesVariables() {
        var rng = FastRandom()
        let ints = (0..<200).map { _ in Variable(name: "i", kind: .randomInt(1, 3)).generate(using: &rng) }
        #expect(Set(ints) == [.int(1), .int(2), .int(3)])
        let seq = Variable(name: "s", kind: .sequence(start: 10, step: 5))
        #expect([seq.generate(using: &rng), seq.generate(using: &rng)] == [.int(10), .int(15)])
        if case .string(let u) = Variable(name: "u", kind: .uuid).generate(using: &rng) {
            #expect(UUID(uuidString: u) != nil)
        } else {
            Issue.record("uuid is not a string")
        }
        let f = Variable(name: "f", kind: .randomFloat(0, 1)).generate(using: &rng)
        if case .double(let d) = f { #expect(d >= 0 && d < 1) } else { Issue.record("not a double") }
    }

    /// A sequence past Int.max trapped (exit 132) once it got there; it wraps around instead.
    @Test func aSequencePastIntMaxWrapsInsteadOfTrapping() {
        var rng = FastRandom()
        let seq = Variable(name: "s", kind: .sequence(start: .max, step: 1))
        #expect([seq.generate(using: &rng), seq.generate(using: &rng)] == [.int(.max), .int(.min)])
    }

    @Test func jsonPaths() throws {
        let doc = try #require(JSONValue.parse(Array(#"{"a":{"b":[10,{"c":"x"}]},"sp ace":true}"#.utf8)))
        #expect(try JSONPath("$.a.b[0]").evaluate(doc) == .number(10))
        #expect(try JSONPath("$.a.b[-1].c").evaluate(doc) == .string("x"))
        #expect(try JSONPath("$['sp ace']").evaluate(doc) == .bool(true))
        #expect(try JSONPath("$").evaluate(doc) == doc)
        #expect(try JSONPath("$.a.zz").evaluate(doc) == nil)
        #expect(throws: TemplateSyntaxError.self) { try JSONPath("a.b") }
        #expect(throws: TemplateSyntaxError.self) { try JSONPath("$.a[x]") }
        #expect(JSONValue.number(151.2).templateValue == .double(151.2))
        #expect(JSONValue.number(3).matches(.int(3)))
        #expect(JSONValue.string("ready").matches(.string("ready")))
    }

    @Test func encodesRequests() {
        #expect(RequestBuilder.percentEncode("a b&c/é", plusForSpace: false) == "a%20b%26c%2F%C3%A9")
        #expect(RequestBuilder.percentEncode("a b", plusForSpace: true) == "a+b")
        #expect(RequestBuilder.sanitizeTarget("/x y/{z}") == "/x%20y/%7Bz%7D")
        #expect(RequestBuilder.sanitizeTarget("/ok?a=1&b=%20") == "/ok?a=1&b=%20")
        let url = TargetURL("http://h:8/")!
        let bytes = RequestBuilder.encode(
            method: "POST", url: url, headers: [("X-A", "1")], body: (Array("{}".utf8), "application/json"),
            settings: HTTPSettings(userAgent: "ua"), allocator: .init())
        #expect(String(buffer: bytes) == "POST / HTTP/1.1\r\nHost: h:8\r\nUser-Agent: ua\r\nAccept: */*\r\nX-A: 1\r\n"
            + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        let get = RequestBuilder.encode(method: "GET", url: url, headers: [("host", "other")], body: nil,
                                        settings: HTTPSettings(userAgent: "ua"), allocator: .init())
        #expect(String(buffer: get) == "GET / HTTP/1.1\r\nUser-Agent: ua\r\nAccept: */*\r\nhost: other\r\n\r\n")
    }

    @Test func parsesDurations() {
        #expect(DurationText.seconds("30s") == 30)
        #expect(DurationText.seconds("500ms") == 0.5)
        #expect(DurationText.seconds("1h30m") == 5400)
        #expect(DurationText.seconds("2.5") == 2.5)
        #expect(DurationText.seconds("1m30s") == 90)
        #expect(DurationText.seconds("10 parsecs") == nil)
        #expect(DurationText.seconds("-1") == nil)
        #expect(DurationText.seconds("s") == nil)
        #expect(DurationText.seconds("") == nil)
    }
}
