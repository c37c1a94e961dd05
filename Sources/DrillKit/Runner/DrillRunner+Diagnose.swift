import Foundation

/// `diagnose` steps: the runbook tested as a runbook.
extension DrillRunner {
    /// Runs every diagnosis block until each points at the cause (every 1 s, at most `within`), and
    /// checks the `runbook_url` of every alert firing now.
    func diagnose(within: PromDuration) async throws -> (DrillJournal.Outcome, String) {
        guard let markdown = options.markdown else { throw ControlError(message: "diagnose: the runbook's text was not given to the runner") }
        let blocks = try DiagnosisBlock.all(in: markdown, file: options.runbookPath)
        let begin = Date()
        var pending = blocks
        var results: [Int: DrillJournal.DiagnosisCheck] = [:]
        repeat {
            var still: [DiagnosisBlock] = []
            for block in pending {
                let check = await run(block)
                results[block.line] = check
                if check.outcome == .failed { still.append(block) }
            }
            pending = still
            if pending.isEmpty || Date().timeIntervalSince(begin) >= wallSeconds(within) { break }
        } while await pause(1)
        let checks = blocks.compactMap { results[$0.line] }
        state.withLock { $0.diagnoses += checks }
        var problems = checks.filter { $0.outcome == .failed }.map { "line \($0.line) (\($0.expectation)): \($0.detail)" }
        let urls = try await runbookURLs()
        problems += urls.problems
        let passed = checks.count - checks.filter { $0.outcome == .failed }.count
        let summary = "\(passed)/\(checks.count) diagnosis blocks pointed at the cause" + (urls.checked.isEmpty ? "" : "; runbook_url of \(urls.checked.joined(separator: ", ")) resolves")
        return problems.isEmpty ? (.passed, summary) : (.failed, summary + "; " + problems.joined(separator: "; "))
    }

    /// One run of a block.
    func run(_ block: DiagnosisBlock) async -> DrillJournal.DiagnosisCheck {
        var outcome = DrillJournal.Outcome.passed
        var detail: String
        do {
            switch block.language {
            case .promql:
                guard let samples = try await evaluate(block.text) else {
                    return .init(line: block.line, command: block.command, expectation: block.expectation, outcome: .skipped,
                                 detail: "needs Prometheus", at: Date())
                }
                detail = samples.prefix(5).map(DrillFormat.number).joined(separator: ", ")
                if let problem = block.judge(samples: samples) { outcome = .failed; detail = problem }
            case .shell:
                let command = CommandSpec(argv: ["/bin/sh", "-c", StepText(stringLiteral: block.text)], environment: [
                    "URL": StepText(stringLiteral: stack.serviceURL), "T": StepText(stringLiteral: stack.adminToken),
                    "DATA_DIR": StepText(stringLiteral: stack.workDirectory.appendingPathComponent("data").path),
                    "PROMETHEUS": StepText(stringLiteral: stack.prometheus?.baseURL ?? ""),
                ])
                let run = try await runToEnd(command, timeout: PromDuration("30s")!)
                let code: Int32 = if case .exited(let c)? = run.status { c } else { -1 }
                detail = Self.excerpt(run.output, limit: 200)
                if let problem = block.judge(output: run.output, exitCode: code) { outcome = .failed; detail = problem }
            }
        } catch {
            outcome = .failed
            detail = "\(error)"
        }
        return .init(line: block.line, command: block.command, expectation: block.expectation, outcome: outcome, detail: detail, at: Date())
    }

    /// Alerts firing now whose `runbook_url` does not resolve to this runbook or a runbook it links.
    func runbookURLs() async throws -> (checked: [String], problems: [String]) {
        guard let prometheus = stack.prometheus else { return ([], []) }
        let runbook = URL(fileURLWithPath: options.runbookPath, relativeTo: options.baseDirectory).standardizedFileURL
        let linked = Self.linkedFiles(options.markdown ?? "", from: runbook.deletingLastPathComponent())
        var checked: [String] = []
        var problems: [String] = []
        for alert in try await prometheus.alerts() where alert.state == "firing" && !AlertTracker.ignored.contains(alert.name) {
            guard !checked.contains(alert.name) else { continue }
            checked.append(alert.name)
            guard let url = alert.annotations["runbook_url"], !url.isEmpty else {
                problems.append("\(alert.name) carries no runbook_url annotation"); continue
            }
            // A URL (e.g. a repository link) resolves by its path's runbooks/… tail; a path against the repository root.
            let path = URL(string: url).flatMap { $0.scheme == nil ? nil : $0.path } ?? url
            let tail = path.range(of: "runbooks/").map { String(path[$0.lowerBound...]) } ?? path
            let file = options.baseDirectory.appendingPathComponent(tail).standardizedFileURL
            guard FileManager.default.fileExists(atPath: file.path) else {
                problems.append("\(alert.name)'s runbook_url \(url) names no file (\(file.path))"); continue
            }
            if file.path != runbook.path, !linked.contains(file.path) {
                problems.append("\(alert.name)'s runbook_url \(url) is neither this runbook nor one it links")
            }
        }
        return (checked, problems)
    }

    /// Files linked from Markdown (`[text](path.md)`), as absolute paths against `directory`.
    static func linkedFiles(_ markdown: String, from directory: URL) -> Set<String> {
        guard let regex = try? Regex(#"\]\(([^)#\s]+)"#) else { return [] }
        return Set(markdown.matches(of: regex).compactMap { match -> String? in
            guard let target = match.output[1].substring, !target.contains("://") else { return nil }
            return directory.appendingPathComponent(String(target)).standardizedFileURL.path
        })
    }
}
