@testable import DrillKit
import Foundation
import LoadKit
import ProxyKit
import Testing

/// The generic steps (`start` of any command, `proxy`, `http`, `exec`, `signal`) and runtime
/// variables, as the decoder reads them; errors as `file:line: key.path: message`.
@Suite struct GenericStepsDecoderTests {
    static func drill(_ yaml: String) throws -> Drill {
        try Runbook.parse(markdown: RunbookTests.runbook(yaml), file: "rb.md").drill
    }

    static func message(_ yaml: String) throws -> String {
        try RunbookTests.error(yaml).description
    }

    @Test func everyGenericStep() throws {
        let drill = try Self.drill("""
            title: generic
            variables: {dir: /srv/www}
            method:
              - start:
                  name: web
                  command: [python3, -m, http.server, "${port.web}", --directory, "${dir}"]
                  env: {PYTHONUNBUFFERED: "1"}
                  cwd: ${stack.work_dir}
                  ready: {url: "http://127.0.0.1:${port.web}/", timeout: 10s}
              - proxy: {action: create, name: web, protocol: http, upstream: "127.0.0.1:${port.web}"}
              - proxy: {action: add_toxic, proxy: web, type: http_status, toxicity: 0.05, attributes: {status: 503, path: /api/*}, ttl: 5m}
              - http:
                  method: POST
                  url: "http://${proxy.web.listen}/login"
                  headers: {X-Trace: "drill-${dir}"}
                  json: {user: admin, tries: 3, ok: true, note: "${port.web}"}
                  expect: {status: [200, 201], body_contains: token}
                  extract: {token: $.session.token}
                  within: 1m
              - exec:
                  command: "curl -H 'Authorization: ${token}' ${stack.service_url}/x"
                  timeout: 5s
                  expect: {exit: 0, output_contains: [ok, done]}
              - signal: {signal: SIGSTOP, process: web}
              - signal: {signal: cont, pidfile: "${stack.work_dir}/web.pid"}
              - proxy: {action: remove_toxic, proxy: web, toxic: http_status_downstream}
              - proxy: {action: reset}
              - start: {workers: 1, database_url: "postgres://u:p@${proxy.web.listen}/db"}
              - load: {action: start, scenario: s.yaml, host: "http://${proxy.web.listen}"}
            """)
        let port = StepText.Part.variable("port.web")
        #expect(drill.method[0].kind == .process(ProcessStep(
            name: "web", command: CommandSpec(argv: ["python3", "-m", "http.server", StepText(parts: [port]), "--directory", "/srv/www"],
                                              environment: ["PYTHONUNBUFFERED": "1"],
                                              workingDirectory: StepText(parts: [.variable("stack.work_dir")])),
            ready: .url(StepText(parts: [.literal("http://127.0.0.1:"), port, .literal("/")])), readyTimeout: PromDuration("10s")!)))
        #expect(drill.method[1].kind == .proxy(.create(name: "web", listen: "127.0.0.1:0",
                                                       upstream: StepText(parts: [.literal("127.0.0.1:"), port]), protocol: .http)))
        #expect(drill.method[2].kind == .proxy(.addToxic(ToxicStep(
            proxy: "web", type: "http_status", toxicity: 0.05, attributes: ["status": .int(503), "path": .string("/api/*")],
            ttl: PromDuration("5m")))))
        guard case .http(let http) = drill.method[3].kind else { Issue.record("not http"); return }
        #expect(http.method == "POST")
        #expect(http.url.description == "http://${proxy.web.listen}/login")
        #expect(http.headers["X-Trace"]?.constant == "drill-/srv/www")
        #expect(http.status == [200, 201])
        #expect(http.bodyContains == ["token"])
        #expect(http.extract["token"]?.description == "$.session.token")
        #expect(http.within == PromDuration("1m"))
        guard case .json(let json)? = http.body else { Issue.record("no json body"); return }
        #expect(json.render { $0 == "port.web" ? "8080" : "?" } == #"{"note":"8080","ok":true,"tries":3,"user":"admin"}"#)
        guard case .exec(let exec) = drill.method[4].kind else { Issue.record("not exec"); return }
        #expect(exec.command.argv.count == 3 && exec.command.argv[0] == "/bin/sh" && exec.command.argv[1] == "-c")
        #expect(exec.command.argv[2].variables == ["token", "stack.service_url"])
        #expect(exec.exitCode == 0 && exec.outputContains == ["ok", "done"] && exec.timeout == PromDuration("5s"))
        #expect(drill.method[5].kind == .signal(SignalStep(signal: "SIGSTOP", target: .process("web"))))
        #expect(drill.method[6].kind == .signal(SignalStep(signal: "SIGCONT",
                                                           target: .pidfile(StepText(parts: [.variable("stack.work_dir"), .literal("/web.pid")])))))
        #expect(drill.method[7].kind == .proxy(.removeToxic(proxy: "web", toxic: "http_status_downstream")))
        #expect(drill.method[8].kind == .proxy(.reset))
        guard case .start(let options) = drill.method[9].kind else { Issue.record("not a csv-analyzer start"); return }
        #expect(options["workers"] == "1")
        #expect(options["database_url"]?.render { _ in "127.0.0.1:6000" } == "postgres://u:p@127.0.0.1:6000/db")
        guard case .load(.start(_, _, _, _, _, let host?, _)) = drill.method[10].kind else { Issue.record("no load host"); return }
        #expect(host.variables == ["proxy.web.listen"])
        #expect(drill.method.map(\.line) == [7, 13, 14, 15, 23, 27, 28, 29, 30, 31, 32])
    }

    @Test func unknownKeysMissingFieldsAndBadValues() throws {
        #expect(try Self.message("title: t\nmethod:\n  - http: {urll: /x}")
                == "rb.md:6: method[0].http.urll: unknown key 'urll' (did you mean 'url'?)")
        #expect(try Self.message("title: t\nmethod:\n  - http: {method: GET}")
                == "rb.md:6: method[0].http.url: missing required field 'url'")
        #expect(try Self.message("title: t\nmethod:\n  - http: {url: /x, method: FETCH}")
                == "rb.md:6: method[0].http.method: expected one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, found 'FETCH' (did you mean 'PATCH'?)")
        #expect(try Self.message("title: t\nmethod:\n  - http: {url: example.com}")
                == "rb.md:6: method[0].http.url: expected a URL starting with http:// or https:// (or a path on the service, /…), found 'example.com'")
        #expect(try Self.message("title: t\nmethod:\n  - http: {url: /x, json: {a: 1}, body: b}")
                == "rb.md:6: method[0].http.body: give either json or body, not both")
        #expect(try Self.message("title: t\nmethod:\n  - http: {url: /x, expect: {status: [200, 999]}}")
                == "rb.md:6: method[0].http.expect.status[1]: expected an HTTP status 100…599, found 999")
        #expect(try Self.message("title: t\nmethod:\n  - http: {url: /x, extract: {id: id}}")
                == #"rb.md:6: method[0].http.extract.id: JSON path "id" must start with '$'"#)
        #expect(try Self.message("title: t\nmethod:\n  - start:\n      name: web\n      comand: [x]")
                == "rb.md:8: method[0].start.comand: unknown key 'comand' (did you mean 'command'?)")
        #expect(try Self.message("title: t\nmethod:\n  - start:\n      name: web\n      env: {A: b}")
                == "rb.md:7: method[0].start.command: missing required field 'command'")
        #expect(try Self.message("title: t\nmethod:\n  - start: {name: csv-analyzer, command: [x]}")
                == "rb.md:6: method[0].start.name: 'csv-analyzer' is a process of the stack itself; choose another name")
        #expect(try Self.message("title: t\nmethod:\n  - start: {name: web, command: [x], ready: {url: /x}}")
                == "rb.md:6: method[0].start.ready.url: expected a URL starting with http:// or https://, found '/x'")
        #expect(try Self.message("title: t\nmethod:\n  - start: {name: web, command: [x], ready: {timeout: 5s}}")
                == "rb.md:6: method[0].start.ready: needs exactly one of url, port")
        #expect(try Self.message("title: t\nmethod:\n  - start: {name: web, command: [x], ready: {port: 70000}}")
                == "rb.md:6: method[0].start.ready.port: expected a port 1…65535, found '70000'")
        #expect(try Self.message("title: t\nmethod:\n  - exec: {command: [], timeout: 1s}")
                == "rb.md:6: method[0].exec.command: needs at least the program")
        #expect(try Self.message("title: t\nmethod:\n  - exec: {command: true, expect: {exit: 300}}")
                == "rb.md:6: method[0].exec.expect.exit: expected 0…255 or any, found 300")
        #expect(try Self.message("title: t\nmethod:\n  - exec: {command: true, timeout: soon}")
                == "rb.md:6: method[0].exec.timeout: bad duration 'soon' (expected e.g. 30s, 5m, 1h30m, 500ms)")
    }

    @Test func signalErrors() throws {
        let start = "title: t\nmethod:\n  - start: {name: web, command: [x]}\n"
        #expect(try Self.message(start + "  - signal: {signal: SIGSTP, process: web}")
                == "rb.md:7: method[1].signal.signal: expected one of SIGCONT, SIGKILL, SIGSTOP, SIGTERM, found 'SIGSTP' (did you mean 'SIGSTOP'?)")
        #expect(try Self.message(start + "  - signal: {signal: SIGHUP, process: web}")
                == "rb.md:7: method[1].signal.signal: expected one of SIGCONT, SIGKILL, SIGSTOP, SIGTERM, found 'SIGHUP'")
        #expect(try Self.message(start + "  - signal: {signal: SIGTERM, process: wbe}")
                == "rb.md:7: method[1].signal.process: no earlier start step names a program 'wbe' (did you mean 'web'?)")
        #expect(try Self.message("title: t\nmethod:\n  - signal: {signal: SIGTERM, process: web}")
                == "rb.md:6: method[0].signal.process: no earlier start step names a program 'web' (start one with start: {name, command})")
        #expect(try Self.message(start + "  - signal: {signal: SIGTERM}")
                == "rb.md:7: method[1].signal: needs exactly one of process, pidfile")
        #expect(try Self.message(start + "  - signal: {process: web}")
                == "rb.md:7: method[1].signal.signal: missing required field 'signal'")
        // Rollbacks may name what the method started.
        #expect(try Self.drill(start + "rollbacks:\n  - signal: {signal: SIGCONT, process: web}").rollbacks.count == 1)
    }

    @Test func proxyErrors() throws {
        #expect(try Self.message("title: t\nmethod:\n  - proxy: {action: crate, name: p}")
                == "rb.md:6: method[0].proxy.action: expected one of create, add_toxic, remove_toxic, reset, found 'crate' (did you mean 'create'?)")
        #expect(try Self.message("title: t\nmethod:\n  - proxy: {action: create, name: p}")
                == "rb.md:6: method[0].proxy: missing required field 'upstream'")
        #expect(try Self.message("title: t\nmethod:\n  - proxy: {action: create, name: p, upstream: db}")
                == "rb.md:6: method[0].proxy.upstream: expected host:port, found 'db'")
        #expect(try Self.message("title: t\nmethod:\n  - proxy: {action: add_toxic, proxy: p, type: latncy}")
                == "rb.md:6: method[0].proxy.type: expected one of \(ToxicKind.typeNames.joined(separator: ", ")), found 'latncy' (did you mean 'latency'?)")
        #expect(try Self.message("title: t\nmethod:\n  - proxy: {action: add_toxic, proxy: p, type: latency, toxicity: 2}")
                == "rb.md:6: method[0].proxy.toxicity: must be from 0 to 1, found 2.0")
        #expect(try Self.message("title: t\nmethod:\n  - proxy: {action: add_toxic, proxy: p, type: latency, upstream: x:1}")
                == "rb.md:6: method[0].proxy.upstream: not allowed with action: add_toxic (allowed: action, proxy, name, type, stream, toxicity, attributes, ttl)")
        #expect(try Self.message("title: t\nmethod:\n  - proxy: {action: remove_toxic, proxy: p}")
                == "rb.md:6: method[0].proxy: missing required field 'toxic'")
    }

    @Test func runtimeVariables() throws {
        // A runtime variable is known only after the step that sets it, and only in step texts.
        #expect(try Self.message("title: t\nmethod:\n  - exec: {command: 'echo ${token}'}")
                == "rb.md:6: method[0].exec.command: unknown variable 'token'")
        #expect(try Self.message("title: t\nmethod:\n  - http: {url: /a, extract: {token: $.t}}\n  - exec: {command: 'echo ${tokn}'}")
                == "rb.md:7: method[1].exec.command: unknown variable 'tokn' (did you mean 'token'?)")
        #expect(try Self.message("title: t\nmethod:\n  - wait: ${port.web}").hasPrefix(
            "rb.md:6: method[0].wait: '${port.web}' is known only when the drill runs"))
        #expect(try Self.message("title: t\nmethod:\n  - http: {url: /a, extract: {token: $.t}}\n  - fault: {action: set, type: errors, route: '${token}'}")
            .hasPrefix("rb.md:7: method[1].fault.route: '${token}' is known only when the drill runs"))
        #expect(try Self.message("title: t\nmethod:\n  - http: {url: /a, extract: {2fa: $.t}}")
                == "rb.md:6: method[0].http.extract.2fa: '2fa' must be a name of letters, digits and '_' (used as ${2fa})")
        // Declared variables are substituted at parse time, runtime ones kept.
        let drill = try Self.drill("title: t\nvariables: {host: h}\nmethod:\n  - http: {url: 'http://${host}:${port.x}/'}")
        guard case .http(let http) = drill.method[0].kind else { Issue.record("not http"); return }
        #expect(http.url == StepText(parts: [.literal("http://h:"), .variable("port.x"), .literal("/")]))
    }

    @Test func shippedGenericDrillsParse() throws {
        for name in ["database-latency", "upstream-errors"] {
            let text = try String(contentsOf: RunbookTests.repo.appendingPathComponent("runbooks/\(name).md"), encoding: .utf8)
            let drill = try Runbook.parse(markdown: text, file: name).drill
            #expect(drill.method.contains { if case .process = $0.kind { true } else { false } })
            #expect(drill.method.contains { if case .proxy(.addToxic) = $0.kind { true } else { false } })
        }
    }
}
