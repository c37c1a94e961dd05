/// Where every field of a tokenized CSV buffer lies: byte spans stored column by column.
///
/// A span is the raw field as written, quotes included (a field is quoted exactly when its first
/// byte is `"`). The index points into the buffer it was made from, so it is valid only while that
/// buffer is (inside the caller's `withUnsafeBytes`). Spans are 32-bit offsets: buffers are limited
/// to 4 GiB.
final class CSVFieldIndex: @unchecked Sendable {
    /// The tokenized bytes (BOM included; spans are offsets from here).
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
    /// Field end offsets (exclusive), same layout as `starts`.
    let ends: UnsafeMutablePointer<UInt32>
    /// 1-based physical line on which each data record starts.
    let rowLines: UnsafeMutablePointer<UInt32>

    init(base: UnsafePointer<UInt8>, byteCount: Int, delimiter: UInt8, columnCount: Int, rowCapacity: Int) {
        self.base = base
        self.byteCount = byteCount
        self.delimiter = delimiter
        self.columnCount = columnCount
        self.rowCapacity = max(rowCapacity, 1)
        let cells = columnCount * self.rowCapacity
        starts = .allocate(capacity: cells)
        ends = .allocate(capacity: cells)
        rowLines = .allocate(capacity: self.rowCapacity)
    }

    deinit {
        starts.deallocate()
        ends.deallocate()
        rowLines.deallocate()
    }

    /// Raw byte span of the field at (`row`, `column`).
    @inline(__always)
    func span(row: Int, column: Int) -> (start: Int, end: Int) {
        let i = column &* rowCapacity &+ row
        return (Int(starts[i]), Int(ends[i]))
    }

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
