import Foundation
import LoadKit
import ProxyKit
import Yams

/// The generic steps, which drive any service: `start` with a `command`, `proxy`, `http`, `exec`, `signal`.
extension DrillDecoder {
    static let genericStartKeys = ["name", "command", "env", "cwd", "ready"]
    static let reservedProcessNames = ["csv-analyzer", "prometheus", "alertmanager"]

    /// A `start` body naming a program (any generic key) rather than csv-analyzer's options.
    func isGenericStart(_ body: Node) -> Bool {
        guard case .mapping(let map) = body else { return false }
        return map.keys.contains { Self.genericStartKeys.contains($0.string ?? "") }
    }

    func process(_ body: Node, _ p: String) throws -> ProcessStep {
        let fields = try mapping(body, p, allowed: Self.genericStartKeys, required: ["name", "command"])
        let name = try string(fields["name"]!, "\(p).name")
        guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }), !name.hasPrefix(".") else {
            throw error(fields["name"]!, "\(p).name", "'\(name)' must be letters, digits, '-', '_' or '.' (it names logs/\(name).log)")
        }
        guard !Self.reservedProcessNames.contains(name) else {
            throw error(fields["name"]!, "\(p).name", "'\(name)' is a process of the stack itself; choose another name")
        }
        var step = ProcessStep(name: name, command: try command(fields, p))
        if let ready = fields["ready"] {
            let r = "\(p).ready"
            let keys = try mapping(ready, r, allowed: ["url", "port", "timeout"], required: [])
            switch (keys["url"], keys["port"]) {
            case (let url?, nil): step.ready = .url(try self.url(url, "\(r).url"))
            case (nil, let port?): step.ready = .port(try self.port(port, "\(r).port"))
            default: throw error(ready, r, "needs exactly one of url, port")
            }
            if let timeout = keys["timeout"] { step.readyTimeout = try duration(timeout, "\(r).timeout") }
        }
        return step
    }

    func proxy(_ body: Node, _ p: String) throws -> ProxyStep {
        let fields = try mapping(body, p, allowed: ["action", "name", "listen", "upstream", "protocol", "proxy", "type", "stream",
                                                    "toxicity", "attributes", "ttl", "toxic"], required: ["action"])
        switch try choice(fields["action"]!, "\(p).action", ["create", "add_toxic", "remove_toxic", "reset"]) {
        case "create":
            try only(fields, ["action", "name", "listen", "upstream", "protocol"], p)
            guard let name = fields["name"] else { throw error(body, p, "missing required field 'name'") }
            guard let upstream = fields["upstream"] else { throw error(body, p, "missing required field 'upstream'") }
            let proto = try fields["protocol"].map { try choice($0, "\(p).protocol", ["tcp", "http"]) } ?? "tcp"
            return .create(name: try string(name, "\(p).name"),
                           listen: try fields["listen"].map { try address($0, "\(p).listen") } ?? "127.0.0.1:0",
                           upstream: try address(upstream, "\(p).upstream"), protocol: ProxyProtocol(rawValue: proto)!)
        case "add_toxic":
            try only(fields, ["action", "proxy", "name", "type", "stream", "toxicity", "attributes", "ttl"], p)
            guard let proxy = fields["proxy"] else { throw error(body, p, "missing required field 'proxy'") }
            guard let type = fields["type"] else { throw error(body, p, "missing required field 'type'") }
            var toxic = ToxicStep(proxy: try string(proxy, "\(p).proxy"), type: try choice(type, "\(p).type", ToxicKind.typeNames))
            toxic.name = try fields["name"].map { try string($0, "\(p).name") }
            if let stream = fields["stream"] { toxic.stream = try choice(stream, "\(p).stream", ["upstream", "downstream"]) }
            if let node = fields["toxicity"] {
                toxic.toxicity = try double(node, "\(p).toxicity")
                guard (0...1).contains(toxic.toxicity) else { throw error(node, "\(p).toxicity", "must be from 0 to 1, found \(toxic.toxicity)") }
            }
            if let attributes = fields["attributes"] {
                // The proxy judges names and values (it knows each type's attributes) when the step runs.
                for (key, value) in try mapping(attributes, "\(p).attributes", allowed: nil, required: []) {
                    toxic.attributes[key] = Self.jsonValue(try rawScalar(value, "\(p).attributes.\(key)"))
                }
            }
            toxic.ttl = try fields["ttl"].map { try duration($0, "\(p).ttl") }
            return .addToxic(toxic)
        case "remove_toxic":
            try only(fields, ["action", "proxy", "toxic"], p)
            guard let proxy = fields["proxy"] else { throw error(body, p, "missing required field 'proxy'") }
            guard let toxic = fields["toxic"] else { throw error(body, p, "missing required field 'toxic'") }
            return .removeToxic(proxy: try string(proxy, "\(p).proxy"), toxic: try string(toxic, "\(p).toxic"))
        default:
            try only(fields, ["action"], p)
            return .reset
        }
    }

    static let httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

    func http(_ body: Node, _ p: String) throws -> HTTPStep {
        let fields = try mapping(body, p, allowed: ["method", "url", "headers", "json", "body", "expect", "extract", "timeout", "within"],
                                 required: ["url"])
        var step = HTTPStep(url: try url(fields["url"]!, "\(p).url", relative: true))
        if let method = fields["method"] { step.method = try choice(method, "\(p).method", Self.httpMethods) }
        step.headers = try fields["headers"].map { try environment($0, "\(p).headers") } ?? [:]
        if fields["json"] != nil, let body = fields["body"] { throw error(body, "\(p).body", "give either json or body, not both") }
        if let json = fields["json"] { step.body = .json(try jsonBody(json, "\(p).json")) }
        if let text = fields["body"] { step.body = .text(try self.text(text, "\(p).body")) }
        if let expect = fields["expect"] {
            let e = "\(p).expect"
            let keys = try mapping(expect, e, allowed: ["status", "body_contains"], required: [])
            if let status = keys["status"] {
                let single: Bool = if case .sequence = status { false } else { true }
                let nodes = single ? [status] : try list(status, "\(e).status")
                step.status = try nodes.enumerated().map { index, node in
                    let at = single ? "\(e).status" : "\(e).status[\(index)]"
                    let code = try int(node, at)
                    guard (100...599).contains(code) else { throw error(node, at, "expected an HTTP status 100…599, found \(code)") }
                    return code
                }
            }
            step.bodyContains = try keys["body_contains"].map { try texts($0, "\(e).body_contains") } ?? []
        }
        if let extract = fields["extract"] {
            for (name, pathNode) in try mapping(extract, "\(p).extract", allowed: nil, required: []) {
                let at = "\(p).extract.\(name)"
                guard name.first?.isLetter == true, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                    throw error(pathNode, at, "'\(name)' must be a name of letters, digits and '_' (used as ${\(name)})")
                }
                do {
                    step.extract[name] = try JSONPath(try rawScalar(pathNode, at))
                } catch let bad as TemplateSyntaxError {
                    throw error(pathNode, at, bad.message)
                }
            }
        }
        if let timeout = fields["timeout"] { step.timeout = try duration(timeout, "\(p).timeout") }
        step.within = try fields["within"].map { try duration($0, "\(p).within") }
        return step
    }

    func exec(_ body: Node, _ p: String) throws -> ExecStep {
        let fields = try mapping(body, p, allowed: ["command", "env", "cwd", "timeout", "expect", "within"], required: ["command"])
        var step = ExecStep(command: try command(fields, p))
        if let timeout = fields["timeout"] { step.timeout = try duration(timeout, "\(p).timeout") }
        if let expect = fields["expect"] {
            let keys = try mapping(expect, "\(p).expect", allowed: ["exit", "output_contains"], required: [])
            if let exit = keys["exit"] {
                let text = try rawScalar(exit, "\(p).expect.exit")
                if text == "any" {
                    step.exitCode = nil
                } else {
                    let code = try int(exit, "\(p).expect.exit")
                    guard (0...255).contains(code) else { throw error(exit, "\(p).expect.exit", "expected 0…255 or any, found \(code)") }
                    step.exitCode = Int32(code)
                }
            }
            step.outputContains = try keys["output_contains"].map { try texts($0, "\(p).expect.output_contains") } ?? []
        }
        step.within = try fields["within"].map { try duration($0, "\(p).within") }
        return step
    }

    func signal(_ body: Node, _ p: String) throws -> SignalStep {
        let fields = try mapping(body, p, allowed: ["signal", "process", "pidfile"], required: ["signal"])
        let names = SignalStep.names.keys.sorted()
        let written = try rawScalar(fields["signal"]!, "\(p).signal")
        let name = written.uppercased().hasPrefix("SIG") ? written.uppercased() : "SIG" + written.uppercased()
        guard SignalStep.names[name] != nil else {
            throw error(fields["signal"]!, "\(p).signal",
                        "expected one of \(names.joined(separator: ", ")), found '\(written)'\(suggestion(name, names))")
        }
        switch (fields["process"], fields["pidfile"]) {
        case (let process?, nil):
            let target = try string(process, "\(p).process")
            guard processNames.contains(target) else {
                throw error(process, "\(p).process", "no earlier start step names a program '\(target)'"
                            + (processNames.isEmpty ? " (start one with start: {name, command})" : suggestion(target, processNames)))
            }
            return SignalStep(signal: name, target: .process(target))
        case (nil, let pidfile?):
            return SignalStep(signal: name, target: .pidfile(try text(pidfile, "\(p).pidfile")))
        default:
            throw error(body, p, "needs exactly one of process, pidfile")
        }
    }

    // MARK: pieces

    /// `command` (required), `env` and `cwd` of a step's fields.
    func command(_ fields: [String: Node], _ p: String) throws -> CommandSpec {
        CommandSpec(argv: try argv(fields["command"]!, "\(p).command"),
                    environment: try fields["env"].map { try environment($0, "\(p).env") } ?? [:],
                    workingDirectory: try fields["cwd"].map { try text($0, "\(p).cwd") })
    }

    /// A command: a list (argv) or a string (run by `/bin/sh -c`).
    func argv(_ node: Node, _ path: String) throws -> [StepText] {
        if case .scalar = node {
            let line = try text(node, path)
            guard line.constant != "" else { throw error(node, path, "must not be empty") }
            return ["/bin/sh", "-c", line]
        }
        let items = try list(node, path).enumerated().map { try text($1, "\(path)[\($0)]") }
        guard let program = items.first else { throw error(node, path, "needs at least the program") }
        guard program.constant != "" else { throw error(node, "\(path)[0]", "must not be empty") }
        return items
    }

    /// A mapping of names to texts (environment variables, headers).
    func environment(_ node: Node, _ path: String) throws -> [String: StepText] {
        try mapping(node, path, allowed: nil, required: []).reduce(into: [:]) { result, pair in
            result[pair.key] = try text(pair.value, "\(path).\(pair.key)")
        }
    }

    /// One text or a list of texts.
    func texts(_ node: Node, _ path: String) throws -> [StepText] {
        guard case .sequence = node else { return [try text(node, path)] }
        return try list(node, path).enumerated().map { try text($1, "\(path)[\($0)]") }
    }

    /// A URL: `http(s)://…`, or with `relative`, a path on the stack's service; one that begins
    /// with a runtime variable (`${stack.service_url}/x`) is checked when the step runs.
    func url(_ node: Node, _ path: String, relative: Bool = false) throws -> StepText {
        let value = try text(node, path)
        if case .variable? = value.parts.first { return value }
        guard case .literal(let head)? = value.parts.first, head.hasPrefix("http://") || head.hasPrefix("https://")
                || (relative && head.hasPrefix("/")) else {
            throw error(node, path, "expected a URL starting with http:// or https://\(relative ? " (or a path on the service, /…)" : ""), found '\(value)'")
        }
        return value
    }

    /// A TCP port, checked now unless it names a runtime variable.
    func port(_ node: Node, _ path: String) throws -> StepText {
        let value = try text(node, path)
        if let constant = value.constant, !(Int(constant).map { (1...65535).contains($0) } ?? false) {
            throw error(node, path, "expected a port 1…65535, found '\(constant)'")
        }
        return value
    }

    /// `host:port`, checked now unless it names a runtime variable.
    func address(_ node: Node, _ path: String) throws -> StepText {
        let value = try text(node, path)
        if let constant = value.constant {
            guard let colon = constant.lastIndex(of: ":"), let port = Int(constant[constant.index(after: colon)...]), (0...65535).contains(port) else {
                throw error(node, path, "expected host:port, found '\(constant)'")
            }
        }
        return value
    }

    /// A YAML tree as a JSON document: plain numbers, booleans and null stay literal, the rest are strings.
    func jsonBody(_ node: Node, _ path: String) throws -> JSONBody {
        switch node {
        case .mapping:
            return .object(try mapping(node, path, allowed: nil, required: []).reduce(into: [:]) { result, pair in
                result[pair.key] = try jsonBody(pair.value, "\(path).\(pair.key)")
            })
        case .sequence:
            return .array(try list(node, path).enumerated().map { try jsonBody($1, "\(path)[\($0)]") })
        case .scalar(let scalar):
            if scalar.style == .plain, let literal = Self.jsonLiteral(scalar.string) { return .literal(literal) }
            return .string(try text(node, path))
        case .alias:
            throw error(node, path, "aliases are not supported")
        }
    }

    static func jsonLiteral(_ text: String) -> String? {
        if ["true", "false", "null"].contains(text) { return text }
        if let int = Int(text) { return String(int) }
        if let double = Double(text), double.isFinite, text.first != "." { return text }
        return nil
    }

    /// A toxic attribute's JSON value: whole numbers as integers (Toxiproxy's int64 fields), then
    /// numbers, booleans, else the string.
    static func jsonValue(_ text: String) -> ProxyKit.JSONValue {
        if let int = Int64(text) { return .int(int) }
        if let double = Double(text), double.isFinite { return .double(double) }
        if text == "true" || text == "false" { return .bool(text == "true") }
        return .string(text)
    }
}
