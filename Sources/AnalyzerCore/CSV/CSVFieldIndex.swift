/// Where every field of a tokenized CSV buffer starts, column by column, plus the numbers parsed
/// on the way for columns that are still numeric.
///
/// A field is quoted exactly when its first byte is `"`; its end is found again by
/// ``CSVTokenizer/fieldEnd(_:_:_:_:)`` when needed (string columns only), so only starts are stored.
/// The index points into the buffer it was made from, so it is valid only while that buffer is
/// (inside the caller's `withUnsafeBytes`). Offsets are 32-bit: buffers are limited to 4 GiB.
final class CSVFieldIndex {
    /// The tokenized bytes (BOM included; offsets are from here).
    let base: UnsafePointer<UInt8>
    let byteCount: Int
    let delimiter: UInt8
    /// Column names as written in the header (decoded, trimmed).
    var header: [String] = []
    let columnCount: Int
    /// Number of data records (header excluded).
    var rowCount: Int = 0
    /// Allocated rows per column.
    let rowCapacity: Int
    /// Field start offsets, `column * rowCapacity + row`.
    let starts: UnsafeMutablePointer<UInt32>
    /// 1-based physical line on which each data record starts.
    let rowLines: UnsafeMutablePointer<UInt32>
    /// Per column: 1 while every field so far was a number or missing (all 0 when numbers are not parsed).
    let numeric: UnsafeMutablePointer<UInt8>
    /// Per column: 1 while every number so far was written as an integer.
    let integers: UnsafeMutablePointer<UInt8>
    /// Per column: missing values counted while the column was numeric.
    let missing: UnsafeMutablePointer<Int>
    /// Per column: the parsed numbers (NaN = missing) of a column that is still numeric; emptied
    /// when the column turns out not to be.
    var numberColumns: [[Double]]

    init(base: UnsafePointer<UInt8>, byteCount: Int, delimiter: UInt8, columnCount: Int, rowCapacity: Int, parseNumbers: Bool) {
        self.base = base
        self.byteCount = byteCount
        self.delimiter = delimiter
        self.columnCount = columnCount
        self.rowCapacity = max(rowCapacity, 1)
        starts = .allocate(capacity: columnCount * self.rowCapacity)
        rowLines = .allocate(capacity: self.rowCapacity)
        numeric = .allocate(capacity: columnCount)
        numeric.initialize(repeating: parseNumbers ? 1 : 0, count: columnCount)
        integers = .allocate(capacity: columnCount)
        integers.initialize(repeating: 1, count: columnCount)
        missing = .allocate(capacity: columnCount)
        missing.initialize(repeating: 0, count: columnCount)
        numberColumns = Array(repeating: [], count: columnCount)
        if parseNumbers {
            for c in 0..<columnCount { numberColumns[c].reserveCapacity(self.rowCapacity) }
        }
    }

    deinit {
        starts.deallocate()
        rowLines.deallocate()
        numeric.deallocate()
        integers.deallocate()
        missing.deallocate()
    }

    /// Raw byte span of the field at (`row`, `column`), quotes included.
    @inline(__always)
    func span(row: Int, column: Int) -> (start: Int, end: Int) {
        let start = Int(starts[column &* rowCapacity &+ row])
        return (start, CSVTokenizer.fieldEnd(base, byteCount, start, delimiter))
    }

    /// Start offset of the field at (`row`, `column`).
    @inline(__always)
    func start(row: Int, column: Int) -> Int { Int(starts[column &* rowCapacity &+ row]) }

    /// The (row, column) of the field containing byte `offset`, if it lies in a data record.
    func locate(offset: Int) -> (row: Int, column: Int)? {
        guard rowCount > 0, offset >= Int(starts[0]) else { return nil }
        // Last row whose first field starts at or before `offset`.
        var lo = 0, hi = rowCount - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(starts[mid]) <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 0
        for c in 0..<columnCount where Int(starts[c * rowCapacity + lo]) <= offset { column = c }
        return (lo, column)
    }
}
