import Foundation
import Testing
@testable import LoadKit

@Suite struct ScenarioParserTests {
    static let full = """
        host: http://127.0.0.1:8000
        stop_timeout: 5s
        settings:
          timeout: 10s
          headers: {X-Run: "${run_id}"}
        load:
          users: 100
          spawn_rate: 10
          run_time: 2m
        variables:
          run_id: uuid
          n: {random_int: [1, 5]}
          algo: {choice: [logistic_regression, random_forest]}
          seq: {sequence: {start: 10, step: 2}}
          token: {env: {name: API_TOKEN, default: none}}
        feeders:
          iris: {file: data/iris.csv, mode: random}
        users:
          - name: Trainer
            weight: 1
            wait: {between: [1, 3]}
            on_start:
              - post: /api/datasets?name=iris
                name: upload
                file: {path: data/iris.csv}
                checks: {status: 201, json: [{path: $.id, exists: true}]}
                extract: {dataset_id: $.id}
            tasks:
              - name: train-and-predict
                weight: 3
                tags: [train]
                requests:
                  - post: /api/models
                    json: {dataset: "${dataset_id}", target: target, algorithm: "${algo}", n: 3, ok: true, x: null}
                    extract: {model_id: $.id}
                  - get: /api/models/${model_id}
                    name: /api/models/[id]
                    poll: {until: {path: $.status, equals: ready}, interval: 200ms, max_attempts: 5}
                  - post: /api/models/${model_id}/predict
                    name: predict
                    json_row: {feeder: iris, exclude: [target]}
                    checks: {status: [200], json: [{path: $.prediction, exists: true}]}
                    timeout: 2s
              - get: /healthz
                weight: 1
                tags: [health]
          - name: Browser
            fixed_count: 2
            wait: {constant_pacing: 2}
            tasks:
              - get: /api/datasets
                query: {page: "${n}", q: "${iris.sepal length (cm)}"}
        thresholds:
          - p(95) < 500ms
          - {expr: "rate(failed) < 1%", name: predict, abort_on_fail: true, delay: 10s}
        """

    @Test func parsesAFullScenario() throws {
        let dir = try ScenarioDir(files: ["data/iris.csv": ScenarioDir.iris])
        let plan = try dir.parse(Self.full)
        #expect(plan.host == "http://127.0.0.1:8000")
        #expect(plan.stopTimeout == 5)
        #expect(plan.http.timeout == 10)
        #expect(plan.load == .closed(users: 100, spawnRate: 10, runTime: 120))
        #expect(plan.variables.map(\.name) == ["run_id", "n", "algo", "seq", "token"])
        #expect(plan.variables[3].kind == .sequence(start: 10, step: 2))
        #expect(plan.variables[4].kind == .env(name: "API_TOKEN", value: "none"))
        #expect(plan.feeders.first?.rows.count == 3)
        #expect(plan.feeders.first?.mode == .random)
        #expect(plan.userVariables == ["dataset_id", "model_id"])
        #expect(plan.userClasses.count == 2)
        let trainer = plan.userClasses[0]
        #expect(trainer.wait == .between(1, 3))
        #expect(trainer.onStart.first?.name == "upload")
        #expect(trainer.onStart.first?.method == "POST")
        if case .bytes(let bytes, let type)? = trainer.onStart.first?.body {
            #expect(type == "text/csv")
            #expect(bytes.count == ScenarioDir.iris.utf8.count)
        } else {
            Issue.record("expected a file body")
        }
        #expect(trainer.tasks.map(\.weight) == [3, 1])
        #expect(trainer.tasks[1].requests[0].name == "/healthz")
        #expect(trainer.tasks[1].tags == ["health"])
        let predict = trainer.tasks[0].requests[2]
        #expect(predict.body == .feederRow(feeder: 0, columns: [0, 1, 2, 3], count: nil))
        #expect(predict.timeout == 2)
        #expect(predict.checks.status == [.code(200)])
        #expect(trainer.tasks[0].requests[1].poll?.maxAttempts == 5)
        #expect(trainer.tasks[0].requests[1].path.parts == [.literal("/api/models/"), .ref(.userVariable(1))])
        #expect(plan.userClasses[1].fixedCount == 2)
        #expect(plan.userClasses[1].wait == .constantPacing(2))
        #expect(plan.thresholds.count == 2)
        #expect(plan.thresholds[1].name == "predict" && plan.thresholds[1].abortOnFail && plan.thresholds[1].delay == 10)
        #expect(plan.thresholds[1].bound == 0.01)
    }

    @Test func parsesLoadShapes() throws {
        let dir = try ScenarioDir()
        let base = "host: http://h:1\nusers: [{tasks: [{get: /}]}]\n"
        let stages = try dir.parse(base + """
            load:
              stages:
                - {duration: 10s, users: 10, spawn_rate: 5}
                - {duration: 20s, users: 10}
                - {duration: 5s, users: 0}
            """)
        #expect(stages.load == .stages([.init(duration: 10, users: 10, spawnRate: 5), .init(duration: 20, users: 10),
                                        .init(duration: 5, users: 0)]))
        let open = try dir.parse(base + "load: {rate: 120, time_unit: 1m, duration: 30s, max_users: 50}")
        #expect(open.load == .constantArrival(rate: 2, duration: 30, preAllocatedUsers: 2, maxUsers: 50))
        let ramp = try dir.parse(base + """
            load:
              executor: ramping_arrival_rate
              start_rate: 1
              stages: [{duration: 10s, target: 20}, {duration: 10s, target: 0}]
              max_users: 100
              pre_allocated_users: 5
            """)
        #expect(ramp.load == .rampingArrival(
            startRate: 1, stages: [.init(duration: 10, target: 20), .init(duration: 10, target: 0)],
            preAllocatedUsers: 5, maxUsers: 100))
        let none = try dir.parse(base)
        #expect(none.load == .closed(users: 1, spawnRate: 1, runTime: nil))
    }

    @Test func badFilesAreRefusedWithLineAndKey() throws {
        let head = "host: http://h:1\n"
        let cases: [(String, Int, String, String)] = [
            (head + "users: [{tasks: [{get: /}]}]\nbogus: 1\n", 3, "bogus", "unknown key 'bogus'"),
            (head + "users:\n  - tasks:\n      - get: /\n        tmieout: 2s\n", 5, "users[0].tasks[0].tmieout",
             "did you mean 'timeout'"),
            (head + "load: {users: many}\nusers: [{tasks: [{get: /}]}]\n", 2, "load.users", "expected an integer"),
            (head + "load: {users: 2, run_time: 10 parsecs}\nusers: [{tasks: [{get: /}]}]\n", 2, "load.run_time",
             "bad duration"),
            (head + "users: [{tasks: [{get: /}]}]\nthresholds:\n  - p(95) <> 5ms\n", 4, "thresholds[0]",
             "bad threshold expression"),
            (head + "users: [{tasks: [{get: /}]}]\nthresholds:\n  - p95x < 5ms\n", 4, "thresholds[0]", "unknown metric"),
            (head + "users:\n  - tasks:\n      - get: /x/${nope}\n", 4, "users[0].tasks[0].get",
             "unknown variable '${nope}'"),
            (head + "feeders:\n  f: {file: data/missing.csv}\nusers: [{tasks: [{get: /}]}]\n", 3, "feeders.f.file",
             "file not found"),
            (head + "users:\n  - tasks: []\n", 3, "users[0].tasks", "needs at least one task"),
            (head + "users:\n  - wait: {between: [3, 1]}\n    tasks: [{get: /}]\n", 3, "users[0].wait.between",
             "min is above max"),
            (head + "users: [{tasks: [{get: /}]}]\nload: {stages: [{duration: 1s}]}\n", 3, "load.stages[0]",
             "needs 'duration' and 'users'"),
            ("host: ftp://x\nusers: [{tasks: [{get: /}]}]\n", 1, "host", "not an http"),
            (head + "users:\n  - tasks:\n      - get: /\n        checks: {status: 2000}\n", 5,
             "users[0].tasks[0].checks.status", "bad status"),
            (head + "users:\n  - tasks:\n      - get: /\n        extract: {id: id}\n", 5, "users[0].tasks[0].extract.id",
             "must start with '$'"),
            (head + "users: [{tasks: [{get: /}]}]\nhost: http://again\n", 3, "host", "duplicate key 'host'"),
            (head + "users:\n  - tasks:\n    - get: /\n   bad indent\n", 5, "", "YAML syntax error"),
            (head + "variables: {t: {env: NOT_SET_ANYWHERE}}\nusers: [{tasks: [{get: /}]}]\n", 2, "variables.t.env",
             "is not set"),
        ]
        for (yaml, line, key, message) in cases {
            let e = try scenarioError(yaml)
            #expect(e.line == line, "\(e)")
            #expect(e.key == key, "\(e)")
            #expect(e.message.contains(message), "\(e)")
            #expect(e.description.hasPrefix("test.yaml:\(line):"), "\(e)")
        }
    }

    @Test func feederColumnsAreChecked() throws {
        let files = ["data/iris.csv": ScenarioDir.iris]
        let e = try scenarioError("""
            host: http://h:1
            feeders: {iris: data/iris.csv}
            users:
              - tasks:
                  - get: /p?x=${iris.sepal length}
            """, files: files)
        #expect(e.line == 5)
        #expect(e.message.contains("no column 'sepal length'"))
        let e2 = try scenarioError("""
            host: http://h:1
            feeders: {iris: data/iris.csv}
            users:
              - tasks:
                  - post: /p
                    json_row: {feeder: iris, exclude: [species]}
            """, files: files)
        #expect(e2.line == 6 && e2.key == "users[0].tasks[0].json_row.exclude[0]")
        let e3 = try scenarioError("""
            host: http://h:1
            feeders: {iris: {file: data/iris.csv, mode: shuffled}}
            users: [{tasks: [{get: /}]}]
            """, files: files)
        #expect(e3.line == 2 && e3.message.contains("unknown mode"))
    }

    @Test func loaderReadsRelativeToTheFile() throws {
        let dir = try ScenarioDir(files: ["data/iris.csv": ScenarioDir.iris])
        let path = try dir.write("s.yaml", "host: http://h:1\nfeeders: {iris: data/iris.csv}\nusers: [{tasks: [{get: /}]}]\n")
        let plan = try ScenarioLoader.load(path: path)
        #expect(plan.feeders.first?.columns.last == "target")
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(path: dir.url.appendingPathComponent("nope.yaml").path) }
    }

    /// Weights that leave nothing to run were taken: a run of 0 requests that exited 0 (all classes
    /// weight 0), or a weight-0 task that ran anyway because it was the only one.
    @Test func weightsThatLeaveNothingToRunAreRefused() throws {
        let dir = try ScenarioDir()
        #expect { try dir.parse("""
            host: http://127.0.0.1:1
            users:
              - {name: A, weight: 0, tasks: [{get: /}]}
              - {name: B, fixed_count: 0, tasks: [{get: /}]}
            """) } throws: { "\($0)" == "test.yaml:3:3: users: every user class has weight 0 (or fixed_count 0): no user would run" }
        #expect { try dir.parse("""
            host: http://127.0.0.1:1
            users:
              - name: A
                tasks:
                  - {get: /a, weight: 0}
                  - {get: /b, weight: 0}
            """) } throws: { "\($0)" == "test.yaml:5:7: users[0].tasks: every task has weight 0: give one a weight above 0" }
        // One class or task at 0 beside others is how a class or task is switched off.
        let plan = try dir.parse("""
            host: http://127.0.0.1:1
            users:
              - {name: A, weight: 0, tasks: [{get: /}]}
              - {name: B, tasks: [{get: /a, weight: 0}, {get: /b}]}
            """)
        #expect(plan.userClasses.map(\.weight) == [0, 1])
    }

    /// A line break in a header value was sent as is: it ended the header and injected the rest.
    @Test func headersWithLineBreaksAreRefused() throws {
        let dir = try ScenarioDir()
        #expect { try dir.parse("""
            host: http://127.0.0.1:1
            users:
              - name: A
                tasks:
                  - get: /
                    headers: {A: "b\\r\\nInjected: 1"}
            """) } throws: { "\($0)" == #"test.yaml:6:22: users[0].tasks[0].headers.A: header '"A"' holds a line break or NUL"# }
        #expect { try dir.parse("""
            host: http://127.0.0.1:1
            settings: {headers: {X: "a\\nb"}}
            users: [{name: A, tasks: [{get: /}]}]
            """) } throws: { "\($0)".hasPrefix("test.yaml:2:25: settings.headers.X: header") }
    }
}
