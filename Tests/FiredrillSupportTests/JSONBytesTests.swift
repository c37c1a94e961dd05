import FiredrillSupport
import Testing

/// `JSONBytes` writes what the `String` paths it replaced wrote: `Double.description` for numbers,
/// `JSONText.quoted` for strings.
@Suite struct JSONBytesTests {
    @Test func numbersAreTheirDescription() {
        var generator = SystemRandomNumberGenerator()
        var samples: [Double] = [0, -0.0, 1, -1, 0.1, 1e-5, 1e-300, .leastNonzeroMagnitude, 1.7976931348623157e308, 123_456_789_012_345_680, 2.5, 1e21, -3.75e-7]
        for _ in 0..<5_000 {
            samples.append(Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random() ? 1 : -1))
            samples.append(Double.random(in: -1_000...1_000))
        }
        for value in samples {
            var out = JSONBytes(capacity: 32)
            out.number(value, trimmingPointZero: false)
            #expect(out.text == value.description)
            var trimmed = JSONBytes(capacity: 32)
            trimmed.number(value, trimmingPointZero: true)
            let expected = value.description.hasSuffix(".0") ? String(value.description.dropLast(2)) : value.description
            #expect(trimmed.text == expected)
        }
    }

    @Test func stringsAreQuotedAsJSONTextQuotes() {
        for text in ["", "plain", "sepal length (cm)", "é ü 日本", "quote\"", "back\\slash", "tab\there", "nl\ncr\r", "\u{01}\u{1F}", "a/b"] {
            var out = JSONBytes(capacity: 8)
            out.quoted(text)
            #expect(out.text == JSONText.quoted(text))
        }
    }

    @Test func literalsAndTextAppendInOrder() {
        var out = JSONBytes(capacity: 4)
        out.append("{\"a\":")
        out.write("1")
        out.append(",\"b\":")
        out.quoted("x")
        out.append("}")
        #expect(out.text == #"{"a":1,"b":"x"}"#)
        #expect(out.bytes == Array(#"{"a":1,"b":"x"}"#.utf8))
    }
}
