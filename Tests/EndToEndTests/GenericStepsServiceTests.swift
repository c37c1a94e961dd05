@testable import DrillKit
import Foundation
import Testing

/// The generic `http` and `exec` steps against a real csv-analyzer: relative URLs go to the stack's
/// service, extracted values flow into later steps, `${stack.service_url}` reaches a shell.
@Suite(.serialized) struct GenericStepsServiceTests {
    @Test func httpAndExecDriveTheService() async throws {
        try await DrillRunnerTests.withService { url in
            let stack = TestStack(serviceURL: url)
            let drill = try DrillRunnerTests.drill("""
                title: generic steps against csv-analyzer
                method:
                  - name: upload with an http step
                    http:
                      method: POST
                      url: /api/datasets?name=generic
                      headers: {Content-Type: text/csv}
                      body: "x,y,target\\n1,2,a\\n3,4,b\\n5,6,a\\n"
                      expect: {status: 201, body_contains: row_count}
                      extract: {dataset: $.id, rows: $.row_count}
                  - http:
                      url: /api/datasets/${dataset}
                      expect: {status: 200, body_contains: "${dataset}"}
                  - name: the store answers
                    http: {url: "${stack.service_url}/readyz", expect: {status: 200, body_contains: ready}}
                  - name: a shell sees the same service and values
                    exec:
                      command: "echo rows=${rows} at ${stack.service_url}"
                      expect: {output_contains: "rows=3 at \(url)"}
                  - name: a wrong expectation fails with what was seen
                    http: {url: /api/datasets/nope, expect: {status: 200}}
                """)
            let journal = await DrillRunnerTests.run(drill, on: stack)
            let details = journal.steps.map { "\($0.line) \($0.outcome.rawValue): \($0.detail)" }.joined(separator: "\n")
            #expect(journal.steps.prefix(4).allSatisfy { $0.outcome == .passed }, Comment(rawValue: details))
            #expect(journal.steps[0].detail.contains("→ HTTP 201"))
            #expect(journal.steps[0].detail.contains("extracted dataset=ds_"))
            #expect(journal.steps.count == 5)
            #expect(journal.steps[4].outcome == .failed)
            #expect(journal.steps[4].detail.hasPrefix("GET \(url)/api/datasets/nope → HTTP 404"), Comment(rawValue: details))
            #expect(journal.steps[4].detail.contains("expected 200"))
            await stack.stop()
        }
    }
}
