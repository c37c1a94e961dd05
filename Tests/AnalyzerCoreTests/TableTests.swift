import Testing
@testable import AnalyzerCore

@Test func rowsSelectsInOrder() {
    let t = Table(columns: [Column(name: "x", type: .numeric, data: .numbers([1, 2, 3]))], rowCount: 3)
    #expect(t.rows([2, 0]).columns[0].data == .numbers([3, 1]))
}
