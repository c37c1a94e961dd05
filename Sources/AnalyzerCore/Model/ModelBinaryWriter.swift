/// Little-endian binary encoder for serialised models.
struct ModelBinaryWriter {
    private(set) var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }

    mutating func u32(_ v: Int) {
        precondition(v >= 0 && v <= Int(UInt32.max), "ModelBinaryWriter: \(v) does not fit UInt32")
        append(UInt32(v).littleEndian)
    }

    mutating func u64(_ v: UInt64) { append(v.littleEndian) }

    mutating func f64(_ v: Double) { append(v.bitPattern.littleEndian) }

    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(utf8.count)
        bytes.append(contentsOf: utf8)
    }

    mutating func strings(_ list: [String]) {
        u32(list.count)
        for s in list { string(s) }
    }

    /// Count, then the raw little-endian elements.
    mutating func doubles(_ values: [Double]) {
        u64(UInt64(values.count))
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in values { f64(v) }
        #endif
    }

    mutating func int32s(_ values: [Int32]) {
        u64(UInt64(values.count))
        #if _endian(little)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in values { append(v.littleEndian) }
        #endif
    }

    private mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v) { bytes.append(contentsOf: $0) }
    }
}
