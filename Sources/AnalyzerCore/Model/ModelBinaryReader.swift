import Foundation

/// Little-endian binary decoder for serialised models; every read is bounds-checked.
struct ModelBinaryReader {
    private let data: Data
    private var offset: Int

    init(_ data: Data) {
        self.data = data
        self.offset = data.startIndex
    }

    var isAtEnd: Bool { offset == data.endIndex }

    mutating func bytes(_ count: Int) throws(ModelFormatError) -> Data {
        guard count >= 0, data.endIndex - offset >= count else {
            throw ModelFormatError("truncated at byte \(offset - data.startIndex)")
        }
        let slice = data[offset..<(offset + count)]
        offset += count
        return slice
    }

    mutating func u8() throws(ModelFormatError) -> UInt8 { try bytes(1).first! }

    mutating func u32() throws(ModelFormatError) -> Int { Int(UInt32(littleEndian: try integer())) }

    mutating func u64() throws(ModelFormatError) -> UInt64 { UInt64(littleEndian: try integer()) }

    mutating func f64() throws(ModelFormatError) -> Double { Double(bitPattern: try u64()) }

    mutating func string() throws(ModelFormatError) -> String {
        let count = try u32()
        guard let s = String(data: try bytes(count), encoding: .utf8) else {
            throw ModelFormatError("invalid UTF-8 string at byte \(offset - data.startIndex)")
        }
        return s
    }

    mutating func strings() throws(ModelFormatError) -> [String] {
        let count = try u32()
        var list: [String] = []
        for _ in 0..<count { list.append(try string()) }
        return list
    }

    mutating func doubles() throws(ModelFormatError) -> [Double] {
        try array(Double.self).map { Double(bitPattern: UInt64(littleEndian: $0.bitPattern)) }
    }

    mutating func int32s() throws(ModelFormatError) -> [Int32] {
        try array(Int32.self).map { Int32(littleEndian: $0) }
    }

    private mutating func array<T>(_: T.Type) throws(ModelFormatError) -> [T] {
        let count = try u64()
        let size = MemoryLayout<T>.stride
        guard count <= UInt64(data.endIndex - offset) / UInt64(size) else {
            throw ModelFormatError("array of \(count) elements exceeds the data at byte \(offset - data.startIndex)")
        }
        let raw = try bytes(Int(count) * size)
        return [T](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            _ = raw.copyBytes(to: buffer)
            initialized = Int(count)
        }
    }

    private mutating func integer<T: FixedWidthInteger>() throws(ModelFormatError) -> T {
        let raw = try bytes(MemoryLayout<T>.size)
        var v: T = 0
        withUnsafeMutableBytes(of: &v) { _ = raw.copyBytes(to: $0) }
        return v
    }
}
