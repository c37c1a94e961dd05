import FiredrillSupport
import Testing
@testable import LoadKit

/// Hostile numbers (huge, tiny or zero) in a scenario or on the command line: durations and rates past what the engine's
/// timers hold are refused with `file:line` (or the flag) before the run, and rates at the extremes
/// run instead of trapping on a Double → Int conversion.
@Suite(.serialized, .timeLimit(.minutes(1))) struct ExtremeNumbersTests {
    static func scenario(_ load: String, extra: String = "", wait: String = "") -> String {
        """
        host: http://127.0.0.1:1
        load: \(load)
        \(extra)
        users:
          - name: A
        \(wait)
            tasks:
              - get: /
        """
    }

    /// Each of these trapped (exit 132) before they were bounded.
    @Test(arguments: [
        (scenario("{users: 1, run_time: 99999999999999999999h}"), "2:28: load.run_time: '99999999999999999999h' is longer than 1y"),
        (scenario("{stages: [{duration: 99999999999999h, users: 1}]}"), "2:28: load.stages[0].duration: '99999999999999h' is longer than 1y"),
        (scenario("{users: 1}", extra: "stop_timeout: 1e15"), "3:15: stop_timeout: '1e15' is longer than 1y"),
        (scenario("{users: 1}", extra: "settings: {connect_timeout: 400d}"), "3:29: settings.connect_timeout: '400d' is longer than 1y"),
        (scenario("{users: 1}", wait: "    wait: {between: [1, 1e15]}"), "6:25: users[0].wait.between[1]: '1e15' is longer than 1y"),
        // A run time or timeout of 0 ran one request and failed it (exit 0), or blamed the target
        // ("cannot connect … no answer within 0s", exit 69).
        (scenario("{users: 1, run_time: 0s}"), "2:28: load.run_time: must be above 0, got '0s'"),
        (scenario("{users: 1}", extra: "settings: {connect_timeout: 0}"), "3:29: settings.connect_timeout: must be above 0, got '0'"),
        (scenario("{users: 1}", extra: "settings: {timeout: 0ms}"), "3:21: settings.timeout: must be above 0, got '0ms'"),
        // max − min overflowed to infinity: "There is no uniform distribution on an infinite range".
        (scenario("{users: 1}", extra: "variables: {n: {random_float: [-1e308, 1e308]}}"),
         "3:31: variables.n.random_float: the range is too wide (max - min must be a finite number)"),
        (scenario("{rate: 1e300, duration: 2s}"), "2:14: load.rate: 1e+300 iterations per second is above the highest rate, 1000000/s"),
        (scenario("{rate: 5, time_unit: 1us, duration: 2s}"), "2:14: load.rate: 5000000 iterations per second is above"),
        (scenario("{start_rate: 1, stages: [{duration: 1s, target: 1e300}]}"), "2:55: load.stages[0].target: 1e+300 iterations per second"),
    ])
    func outOfRangeNumbersAreRefusedWithTheirLine(_ yaml: String, _ expected: String) throws {
        #expect { try ScenarioDir().parse(yaml) } throws: { "\($0)".hasPrefix("test.yaml:\(expected)") }
    }

    @Test func aYearIsStillAccepted() throws {
        let plan = try ScenarioDir().parse(Self.scenario("{users: 1, run_time: 1y}"))
        #expect(plan.load == .closed(users: 1, spawnRate: 1, runTime: 31_536_000))
    }

    @Test func anArrivalRateFlagPastTheHighestRateIsRefused() throws {
        var overrides = PlanOverrides()
        overrides.arrivalRate = 1e300
        overrides.runTime = 1
        let plan = try LoadPlan.single(url: "http://127.0.0.1:1/", load: .closed(users: 1, spawnRate: 1, runTime: 1))
        #expect { try overrides.apply(to: plan) } throws: { error in
            (error as? PlanError)?.message == "--arrival-rate must be at most 1000000 per second"
        }
    }

    @Test func timerNanosecondsClampInsteadOfTrapping() {
        #expect(DurationText.timerNanoseconds(1.5) == 1_500_000_000)
        #expect(DurationText.timerNanoseconds(-3) == 0)
        #expect(DurationText.timerNanoseconds(.nan) == 0)
        #expect(DurationText.timerNanoseconds(1e300) == .max)
        #expect(DurationText.timerNanoseconds(.infinity) == .max)
    }

    /// `-r 1e308` starts every user at once; `spawn_rate: 1e-300` starts the first and never the second.
    /// Both trapped in `spawnStep` (Int and UInt64 overflow).
    @Test(arguments: [(1e308, 2), (1e-300, 0)])
    func extremeSpawnRatesRun(_ rate: Double, _ rampsReached: Int) async throws {
        let server = try await TestServer.start()
        defer { Task { await server.stop() } }
        let plan = Plans.sequence(server, [Plans.get("/")], users: 2, spawnRate: rate, runTime: 0.5, stopTimeout: 5)
        let summary = try await runToEnd(plan)
        #expect(summary.endReason == "completed")
        #expect(summary.ramps.map(\.users) == (rampsReached > 0 ? [rampsReached] : []))
    }
}
