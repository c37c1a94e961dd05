import NIOCore
import FiredrillSupport

/// A request ready to run: ids for statistics, pre-built bytes when nothing in it varies.
final class CompiledRequest: Sendable {
    let id: Int
    let stat: Int
    let spec: RequestSpec
    let staticURL: TargetURL?
    let staticBytes: ByteBuffer?
    let timeoutNanos: UInt64
    let timeoutSeconds: Double
    let captureLimit: Int
    let isHead: Bool
    /// No checks, extraction or polling: success is simply a status below 400.
    let plain: Bool
    /// The response body must be parsed as JSON.
    let needsDocument: Bool

    init(id: Int, stat: Int, spec: RequestSpec, base: TargetURL, settings: HTTPSettings, captureLimit: Int) {
        self.id = id
        self.stat = stat
        self.spec = spec
        timeoutSeconds = spec.timeout ?? settings.timeout
        timeoutNanos = UInt64(DurationText.timerNanoseconds(max(timeoutSeconds, 0.001)))
        self.captureLimit = spec.needsBody ? captureLimit : 0
        isHead = spec.method == "HEAD"
        needsDocument = !spec.extract.isEmpty || spec.poll != nil || !spec.checks.json.isEmpty
        plain = spec.checks.status == nil && spec.checks.bodyContains.isEmpty && !needsDocument
        let isStatic = spec.path.isStatic && spec.query.allSatisfy { $0.value.isStatic }
            && spec.headers.allSatisfy { $0.value.isStatic } && settings.headers.allSatisfy { $0.value.isStatic }
            && spec.body.isStatic
        if isStatic, let built = try? RequestBuilder.build(
            spec, base: base, settings: settings, ctx: StaticContext(), allocator: ByteBufferAllocator()) {
            staticURL = built.0
            staticBytes = built.1
        } else {
            staticURL = nil
            staticBytes = nil
        }
    }
}
