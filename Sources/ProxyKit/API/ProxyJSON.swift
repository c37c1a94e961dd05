import Foundation

/// The API's JSON renderings of proxies (Toxiproxy's shape plus `protocol`).
enum ProxyJSON {
    static func proxy(_ runtime: ProxyRuntime) -> JSONValue {
        let spec = runtime.spec
        return .object([
            "name": .string(spec.name), "listen": .string(spec.listen), "upstream": .string(spec.upstream),
            "enabled": .bool(spec.enabled), "protocol": .string(spec.protocol.rawValue),
            "toxics": .array(runtime.toxics.map(\.spec.json)),
        ])
    }

    static func encode(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
