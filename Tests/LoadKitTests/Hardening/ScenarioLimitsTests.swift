import Foundation
import Testing
@testable import LoadKit

/// Issue #18: a YAML alias bomb and oversized files are refused with `file:line`, before they grow.
@Suite(.timeLimit(.minutes(1))) struct ScenarioLimitsTests {
    /// Nine levels of nine aliases: 9^9 (387 million) nodes once expanded, 1.5 GB when walked.
    static let bomb = """
        host: http://127.0.0.1:1
        users:
          - name: A
            tasks:
              - get: /
        variables:
          a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]
          b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
          c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
          d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
          e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
          f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
          g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
          h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
          i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]

        """

    @Test func anAliasBombIsRefusedWithItsLine() throws {
        let dir = try ScenarioDir()
        let path = try dir.write("bomb.yaml", Self.bomb)
        #expect { try ScenarioLoader.load(path: path) } throws: { error in
            guard let e = error as? ScenarioError else { return false }
            // 9^5 = 59,049 nodes fit; the sixth level (`f`, line 12) pushes the walk past 100,000.
            return e.line == 12 && e.description.hasPrefix("\(path):12:")
                && e.message.contains("alias '*e' expands past the limit")
                && e.message.contains("at most 100000 YAML nodes with aliases expanded")
        }
    }

    @Test func aliasesWithinTheLimitStillWork() throws {
        let plan = try ScenarioDir().parse("""
            host: http://127.0.0.1:1
            users:
              - name: A
                tasks:
                  - get: /
                    headers: &h {X-A: "1"}
                  - get: /b
                    headers: *h
            """)
        #expect(plan.userClasses[0].tasks.count == 2)
    }

    @Test func anOversizedFileIsRefusedBeforeItIsRead() throws {
        let dir = try ScenarioDir()
        let padding = String(repeating: "# padding\n", count: ScenarioParser.maxFileBytes / 10 + 1)
        let path = try dir.write("big.yaml", padding + "users: [{name: A, tasks: [{get: /}]}]\n")
        #expect { try ScenarioLoader.load(path: path) } throws: { error in
            "\(error)".hasPrefix("\(path): the scenario is ") && "\(error)".hasSuffix("at most 1048576 (1 MiB) are accepted")
        }
    }
}
