import FiredrillSupport
import NIOCore

/// Turns a request spec into request bytes.
enum RequestBuilder {
    /// The request target and bytes for `spec`, rendered with `ctx`.
    static func build(
        _ spec: RequestSpec, base: TargetURL, settings: HTTPSettings, ctx: some TemplateContext,
        allocator: ByteBufferAllocator
    ) throws(RenderError) -> (TargetURL, ByteBuffer) {
        let url = try target(spec, base: base, ctx: ctx)
        let body = try renderBody(spec.body, ctx: ctx)
        let headers = try render(settings.headers, ctx) + render(spec.headers, ctx)
        let bytes = encode(method: spec.method, url: url, headers: headers, body: body, settings: settings, allocator: allocator)
        return (url, bytes)
    }

    /// A redirected request: same headers, new target; the body only for 307/308.
    static func redirect(
        _ spec: RequestSpec, to url: TargetURL, method: String, keepBody: Bool, settings: HTTPSettings,
        ctx: some TemplateContext, allocator: ByteBufferAllocator
    ) throws(RenderError) -> ByteBuffer {
        let body = keepBody ? try renderBody(spec.body, ctx: ctx) : nil
        let headers = try render(settings.headers, ctx) + render(spec.headers, ctx)
        return encode(method: method, url: url, headers: headers, body: body, settings: settings, allocator: allocator)
    }

    /// The URL a request goes to.
    static func target(_ spec: RequestSpec, base: TargetURL, ctx: some TemplateContext) throws(RenderError) -> TargetURL {
        let raw = try spec.path.render(ctx)
        var url: TargetURL
        if let absolute = TargetURL(raw) {
            url = absolute
        } else {
            url = base
            var prefix = base.pathAndQuery.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
            if prefix.hasSuffix("/") { prefix.removeLast() }
            url.pathAndQuery = prefix + (raw.hasPrefix("/") ? raw : "/" + raw)
        }
        if !spec.query.isEmpty {
            var q = ""
            for (i, field) in spec.query.enumerated() {
                if i > 0 { q += "&" }
                q += percentEncode(field.name, plusForSpace: false) + "="
                q += percentEncode(try field.value.render(ctx), plusForSpace: false)
            }
            url.pathAndQuery += (url.pathAndQuery.contains("?") ? "&" : "?") + q
        }
        url.pathAndQuery = sanitizeTarget(url.pathAndQuery)
        return url
    }

    private static func render(_ fields: [NamedTemplate], _ ctx: some TemplateContext) throws(RenderError) -> [(String, String)] {
        var out: [(String, String)] = []
        for f in fields {
            let v = try f.value.render(ctx)
            // The scenario's own text was checked when it was read; a value filled at run time (an
            // extracted token, a feeder cell) may still end the header line and inject another.
            guard !NamedTemplate.breaksHeaderLine(v) else { throw .headerBreaksLine(f.name) }
            out.append((f.name, v))
        }
        return out
    }

    /// Body bytes and content type.
    static func renderBody(_ body: BodySpec, ctx: some TemplateContext) throws(RenderError) -> ([UInt8], String)? {
        switch body {
        case .none:
            return nil
        case .json(let t):
            var s = ""
            try t.render(into: &s, ctx)
            return (Array(s.utf8), "application/json")
        case .text(let t, let type):
            return (Array(try t.render(ctx).utf8), type)
        case .form(let fields):
            var s = ""
            for (i, f) in fields.enumerated() {
                if i > 0 { s += "&" }
                s += percentEncode(f.name, plusForSpace: true) + "=" + percentEncode(try f.value.render(ctx), plusForSpace: true)
            }
            return (Array(s.utf8), "application/x-www-form-urlencoded")
        case .bytes(let b, let type):
            return (b, type)
        case .multipart(let field, let filename, let bytes, let type):
            let boundary = "firedrill-boundary-7d3c1f0a9b"
            var out = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n".utf8)
            out += bytes
            out += Array("\r\n--\(boundary)--\r\n".utf8)
            return (out, "multipart/form-data; boundary=\(boundary)")
        case .feederRow(let feederIndex, let columns, let count):
            let feeder = ctx.feeders[feederIndex]
            func object(_ row: Int) -> String {
                let cells = feeder.rows[row]
                return "{" + columns.map { JSONText.quoted(feeder.columns[$0]) + ":" + cells[$0].jsonText }
                    .joined(separator: ",") + "}"
            }
            let first = try ctx.row(of: feederIndex)
            guard let count else { return (Array(object(first).utf8), "application/json") }
            var items: [String] = []
            for i in 0..<max(count, 1) { items.append(object((first + i) % feeder.rows.count)) }
            return (Array(("[" + items.joined(separator: ",") + "]").utf8), "application/json")
        }
    }

    /// Serialises a request.
    static func encode(
        method: String, url: TargetURL, headers: [(String, String)], body: ([UInt8], String)?,
        settings: HTTPSettings, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        func has(_ name: String) -> Bool { headers.contains { $0.0.caseInsensitiveEquals(name) } }
        var head = "\(method) \(url.pathAndQuery) HTTP/1.1\r\n"
        if !has("host") { head += "Host: \(url.origin.hostHeader)\r\n" }
        if !has("user-agent") { head += "User-Agent: \(settings.userAgent)\r\n" }
        if !has("accept") { head += "Accept: */*\r\n" }
        for (name, value) in headers where !name.caseInsensitiveEquals("content-length") {
            head += "\(name): \(value)\r\n"
        }
        if let (bytes, type) = body {
            if !has("content-type") { head += "Content-Type: \(type)\r\n" }
            head += "Content-Length: \(bytes.count)\r\n\r\n"
            var buffer = allocator.buffer(capacity: head.utf8.count + bytes.count)
            buffer.writeString(head)
            buffer.writeBytes(bytes)
            return buffer
        }
        if ["POST", "PUT", "PATCH"].contains(method) { head += "Content-Length: 0\r\n" }
        head += "\r\n"
        var buffer = allocator.buffer(capacity: head.utf8.count)
        buffer.writeString(head)
        return buffer
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func percentEncode(_ s: String, plusForSpace: Bool) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " ") where plusForSpace:
                out += "+"
            default:
                out += "%" + hex(byte)
            }
        }
        return out
    }

    /// Encodes bytes that may not appear in a request target (spaces, controls, non-ASCII, quotes, braces…).
    static func sanitizeTarget(_ s: String) -> String {
        var needs = false
        for b in s.utf8 where b <= 0x20 || b >= 0x7F || b == UInt8(ascii: "\"") || b == UInt8(ascii: "<")
            || b == UInt8(ascii: ">") || b == UInt8(ascii: "\\") || b == UInt8(ascii: "^") || b == UInt8(ascii: "`")
            || b == UInt8(ascii: "{") || b == UInt8(ascii: "|") || b == UInt8(ascii: "}") {
            needs = true
            break
        }
        guard needs else { return s }
        var out = ""
        for b in s.utf8 {
            if b <= 0x20 || b >= 0x7F || b == UInt8(ascii: "\"") || b == UInt8(ascii: "<") || b == UInt8(ascii: ">")
                || b == UInt8(ascii: "\\") || b == UInt8(ascii: "^") || b == UInt8(ascii: "`") || b == UInt8(ascii: "{")
                || b == UInt8(ascii: "|") || b == UInt8(ascii: "}") {
                out += "%" + hex(b)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(b))
            }
        }
        return out
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }
}
