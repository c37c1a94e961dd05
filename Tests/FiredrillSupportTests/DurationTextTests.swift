import FiredrillSupport
import Testing

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("500ms", 0.5), ("30s", 30), ("5m", 300), ("1h30m", 5400), ("1.5s", 1.5), ("250us", 0.00025),
        ("250µs", 0.00025), ("1d", 86_400), ("1w", 604_800), ("2", 2), ("0.25", 0.25), (" 10s ", 10),
        ("1m30s", 90), ("1.5h", 5400), ("2min", 120), ("0s", 0),
    ])
    func parses(_ text: String, _ seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "s", "10x", "1h30", "-5s", "-1", "ten seconds", "5 m", "1e400"])
    func refuses(_ text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test func millisecondsAndDuration() {
        #expect(DurationText.milliseconds("1h30m") == 5_400_000)
        #expect(DurationText.milliseconds("1.2345ms") == 1)
        #expect(DurationText.duration("1.5s") == .milliseconds(1500))
        #expect(DurationText.duration("nope") == nil)
    }
}
