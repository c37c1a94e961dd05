import NIOCore

/// One simulated user: runs `on_start`, then weighted tasks with waits, over its own keep-alive connection.
/// Lives on one event loop; each request/response step runs there with no task hop.
final class VirtualUser: TemplateContext {
    enum Phase: UInt8 {
        case idle, connecting, inFlight, waiting, pollWaiting, stopped
    }

    let ctx: LoopContext
    let cls: CompiledClass
    let number: Int
    var slot = -1
    private(set) var phase = Phase.idle
    private var stopping = false
    private var onStartDone = false

    private var handler: ConnectionHandler?
    private var handlerOrigin: Origin?
    private var connectGeneration: UInt32 = 0
    private var pendingBytes: ByteBuffer?

    private var sequence: [CompiledRequest] = []
    private var inOnStart = false
    private var step = 0
    private(set) var iteration = 0
    private var iterationStart: UInt64 = 0

    private var request: CompiledRequest?
    private var requestStart: UInt64 = 0
    /// Monotonic nanoseconds after which the in-flight request times out (0: none).
    var deadline: UInt64 = 0
    /// The URL of the in-flight request when it was rendered or redirected (static requests use `staticURL`).
    private var currentURL: TargetURL?
    /// The method after a redirect changed it (nil: the request's own).
    private var redirectMethod: String?
    private var redirects = 0
    private var pollAttempts = 0

    private var slots: [TemplateValue?] = []
    private var variableCache: [TemplateValue?] = []
    private var rowCache: [Int] = []
    /// Open model: the scheduled start of the next iteration's first request (0: none).
    private var scheduledStart: UInt64 = 0
    /// Open model: an iteration was handed to this user and has not started yet.
    private var pendingIteration = false
    /// Set for the plan's `setup` user: called once its requests ran (failure message or nil, extracted values).
    var setupCompletion: ((String?, [TemplateValue?]) -> Void)?
    private var lastFailure: String?

    init(ctx: LoopContext, cls: CompiledClass, number: Int) {
        self.ctx = ctx
        self.cls = cls
        self.number = number
    }

    var feeders: [Feeder] { ctx.plan.plan.feeders }

    private var isHeadRequest: Bool {
        if let m = redirectMethod { return m == "HEAD" }
        return request?.isHead ?? false
    }

    /// True while a request is being sent or awaited.
    var isBusy: Bool { phase == .connecting || phase == .inFlight }

    // MARK: Life cycle

    /// Registers the user and starts its first iteration.
    func start() {
        ctx.register(self)
        begin()
    }

    /// Open model: registers the user and runs `on_start`; the user then waits for iterations.
    func prepare() {
        ctx.register(self)
        begin()
    }

    /// Open model: runs one iteration whose first request counts from `scheduled`.
    func runIteration(scheduled: UInt64) {
        scheduledStart = scheduled
        pendingIteration = true
        begin()
    }

    /// Stops after the in-flight request, if any.
    func stop() {
        stopping = true
        switch phase {
        case .idle, .waiting, .pollWaiting: finish()
        default: break
        }
    }

    /// Stops now, abandoning any in-flight request.
    func forceStop() {
        stopping = true
        finish()
    }

    private func finish() {
        guard phase != .stopped else { return }
        phase = .stopped
        deadline = 0
        closeConnection()
        ctx.unregister(self)
    }

    private func begin() {
        if stopping { return finish() }
        if !onStartDone && !cls.onStart.isEmpty {
            runSequence(cls.onStart, onStart: true)
        } else if let arrival = ctx.arrival, !pendingIteration {
            phase = .idle
            arrival.userIdle(self)
        } else {
            pendingIteration = false
            startIteration()
        }
    }

    private func startIteration() {
        iteration &+= 1
        iterationStart = ctx.now()
        if !variableCache.isEmpty { for i in variableCache.indices { variableCache[i] = nil } }
        if !rowCache.isEmpty { for i in rowCache.indices { rowCache[i] = -1 } }
        runSequence(cls.pickTask(using: &ctx.rng).requests, onStart: false)
    }

    private func runSequence(_ requests: [CompiledRequest], onStart: Bool) {
        sequence = requests
        inOnStart = onStart
        step = 0
        runStep()
    }

    private func runStep() {
        guard step < sequence.count else { return sequenceDone(ok: true) }
        if stopping { return finish() }
        redirects = 0
        pollAttempts = 0
        sendCurrent()
    }

    private func sequenceDone(ok: Bool) {
        sequence = []
        request = nil
        if inOnStart {
            inOnStart = false
            if let completion = setupCompletion {
                setupCompletion = nil
                finish()
                return completion(ok ? nil : (lastFailure ?? "setup failed"), slots)
            }
            if ok {
                onStartDone = true
                return begin()
            }
            pendingIteration = false
            scheduledStart = 0
        }
        if stopping { return finish() }
        if let arrival = ctx.arrival {
            phase = .idle
            return arrival.userIdle(self)
        }
        let elapsed = Double(ctx.now() &- iterationStart) / 1e9
        let delay = cls.spec.wait.delay(afterTaskOf: elapsed, using: &ctx.rng)
        phase = .waiting
        if delay <= 0 && ctx.depth < 16 {
            ctx.depth += 1
            defer { ctx.depth -= 1 }
            phase = .idle
            begin()
        } else {
            ctx.loop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .nanoseconds(Int64(delay * 1e9))) { [self] in
                guard phase == .waiting else { return }
                phase = .idle
                begin()
            }
        }
    }

    // MARK: Sending

    private func sendCurrent() {
        let req = sequence[step]
        request = req
        let now = ctx.now()
        if scheduledStart != 0 && !inOnStart {
            requestStart = min(scheduledStart, now)
            scheduledStart = 0
        } else {
            requestStart = now
        }
        redirectMethod = nil
        if let url = req.staticURL, let bytes = ctx.staticBytes[req.id] {
            currentURL = nil
            transmit(bytes, to: url.origin, now: now)
            return
        }
        do {
            let (url, bytes) = try RequestBuilder.build(
                req.spec, base: ctx.plan.base, settings: ctx.plan.plan.http, ctx: self, allocator: ctx.allocator)
            currentURL = url
            transmit(bytes, to: url.origin, now: now)
        } catch {
            renderFailed(error)
        }
    }

    private func renderFailed(_ error: RenderError) {
        ctx.stats.recordException(error.message)
        if setupCompletion != nil { lastFailure = error.message }
        if case .feederExhausted = error {
            stopping = true
        }
        sequenceDone(ok: false)
    }

    private func transmit(_ bytes: ByteBuffer, to origin: Origin, now: UInt64) {
        guard let req = request else { return }
        deadline = now &+ req.timeoutNanos
        if let h = handler, h.isOpen, handlerOrigin == origin {
            phase = .inFlight
            h.send(bytes, isHead: isHeadRequest, captureLimit: req.captureLimit)
            return
        }
        closeConnection()
        phase = .connecting
        pendingBytes = bytes
        connectGeneration &+= 1
        let generation = connectGeneration
        let h = ConnectionHandler(user: self)
        ctx.connector.connect(to: origin, on: ctx.loop, handler: h).assumeIsolatedUnsafeUnchecked().whenComplete {
            [self] result in
            switch result {
            case .success(let channel):
                guard phase == .connecting, generation == connectGeneration, h.isOpen else {
                    h.close()
                    channel.close(promise: nil)
                    return
                }
                handler = h
                handlerOrigin = origin
                phase = .inFlight
                let bytes = pendingBytes!
                pendingBytes = nil
                h.send(bytes, isHead: isHeadRequest, captureLimit: request?.captureLimit ?? 0)
            case .failure(let error):
                h.user = nil
                guard phase == .connecting, generation == connectGeneration else { return }
                pendingBytes = nil
                fail(FailureCause(error, connectTimeout: ctx.connector.connectTimeout))
            }
        }
    }

    private func closeConnection() {
        if let h = handler {
            handler = nil
            handlerOrigin = nil
            h.close()
        }
    }

    // MARK: Events from the connection

    /// The in-flight response is complete (`h` holds its head and body).
    func responseComplete(_ h: ConnectionHandler) {
        guard h === handler, phase == .inFlight, let req = request else { return }
        let head = h.head
        let bodyBytes = h.bodyBytes
        let body = h.body
        phase = .idle
        deadline = 0
        if !head.keepAlive || !h.isOpen { closeConnection() }

        if let location = head.location, req.spec.followRedirects,
           head.status == 301 || head.status == 302 || head.status == 303 || head.status == 307 || head.status == 308 {
            return followRedirect(req, status: head.status, location: location)
        }

        let now = NIODeadline.now().uptimeNanoseconds
        ctx.cachedNow = now
        defer { ctx.cachedNow = 0 }
        let micros = (now &- requestStart) / 1000
        if req.plain && head.status < 400 && head.status >= 100 {
            // Fast path: no checks, nothing to extract.
            ctx.stats.record(stat: req.stat, micros: micros, bytes: bodyBytes)
            if req === cls.repeatOnly, !stopping, handler === h, h.isOpen, ctx.arrival == nil {
                // The whole task is this one request and there is no wait: the next iteration is the same
                // request on the same connection (what runStep → begin → sendCurrent would do).
                iteration &+= 1
                iterationStart = now
                requestStart = now
                deadline = now &+ req.timeoutNanos
                phase = .inFlight
                h.send(ctx.staticBytes[req.id].unsafelyUnwrapped, isHead: false, captureLimit: 0)
                return
            }
            step += 1
            return runStep()
        }
        var document: JSONValue?
        if req.needsDocument {
            document = body.flatMap { b in b.withUnsafeReadableBytes { JSONValue.parse($0) } }
        }
        var failure = Self.checkFailure(req.spec.checks, head: head, body: body, document: document)
        if failure == nil {
            for e in req.spec.extract {
                guard let v = document.flatMap({ e.path.evaluate($0) }) else {
                    failure = "ExtractError: \(e.path) not found"
                    break
                }
                if slots.isEmpty { slots = Array(repeating: nil, count: ctx.plan.plan.userVariables.count) }
                slots[e.variable] = v.templateValue
            }
        }
        if failure == nil, let poll = req.spec.poll {
            let done = poll.until.allSatisfy { $0.failure(in: document) == nil }
            if !done {
                pollAttempts += 1
                if pollAttempts >= poll.maxAttempts {
                    failure = "PollTimeout: condition not met after \(poll.maxAttempts) attempts"
                } else {
                    ctx.stats.record(stat: req.stat, micros: micros, bytes: bodyBytes)
                    return schedulePoll(after: poll.interval)
                }
            }
        }
        if let failure {
            ctx.stats.recordFailure(stat: req.stat, micros: micros, bytes: bodyBytes, message: failure)
            if setupCompletion != nil { lastFailure = "\(req.spec.method) \(req.spec.name): \(failure)" }
            return sequenceDone(ok: false)
        }
        ctx.stats.record(stat: req.stat, micros: micros, bytes: bodyBytes)
        step += 1
        runStep()
    }

    /// The connection failed while a request was in flight.
    func connectionFailed(_ h: ConnectionHandler, cause: FailureCause) {
        guard h === handler, phase == .inFlight else { return }
        fail(cause)
    }

    /// An idle connection was closed by the peer: reconnect on the next request.
    func connectionClosed(_ h: ConnectionHandler) {
        guard h === handler else { return }
        handler = nil
        handlerOrigin = nil
    }

    /// Called by the loop's sweeper once `deadline` has passed.
    func timedOut() {
        guard let req = request else { deadline = 0; return }
        switch phase {
        case .inFlight: fail(.readTimeout(req.timeoutSeconds))
        case .connecting:
            connectGeneration &+= 1
            pendingBytes = nil
            fail(.connectTimeout(req.timeoutSeconds))
        default: deadline = 0
        }
    }

    private func fail(_ cause: FailureCause) {
        guard let req = request else { return }
        let micros = (ctx.now() &- requestStart) / 1000
        closeConnection()
        phase = .idle
        deadline = 0
        ctx.stats.recordFailure(stat: req.stat, micros: micros, bytes: 0, message: cause.message)
        if setupCompletion != nil { lastFailure = "\(req.spec.method) \(req.spec.name): \(cause.message)" }
        sequenceDone(ok: false)
    }

    private func schedulePoll(after seconds: Double) {
        phase = .pollWaiting
        ctx.loop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) { [self] in
            guard phase == .pollWaiting else { return }
            phase = .idle
            if stopping { return finish() }
            redirects = 0
            sendCurrent()
        }
    }

    private func followRedirect(_ req: CompiledRequest, status: Int, location: String) {
        redirects += 1
        guard redirects <= 10 else { return fail(.tooManyRedirects) }
        guard let from = currentURL ?? req.staticURL, let to = from.resolving(location) else {
            return fail(.protocolError("bad Location header \"\(location)\""))
        }
        let currentMethod = redirectMethod ?? req.spec.method
        let keepMethod = status == 307 || status == 308
            || (currentMethod != "POST" && status != 303) || currentMethod == "HEAD"
        let method = keepMethod ? currentMethod : "GET"
        do {
            let bytes = try RequestBuilder.redirect(
                req.spec, to: to, method: method, keepBody: keepMethod, settings: ctx.plan.plan.http, ctx: self,
                allocator: ctx.allocator)
            currentURL = to
            redirectMethod = method
            transmit(bytes, to: to.origin, now: ctx.now())
        } catch {
            renderFailed(error)
        }
    }

    /// Nil when the response passes the checks, else the failure message.
    static func checkFailure(_ checks: Checks, head: ResponseParser.Head, body: ByteBuffer?, document: JSONValue?) -> String? {
        if let statuses = checks.status {
            if !statuses.contains(where: { $0.matches(head.status) }) {
                return "HTTP \(head.status)\(head.reason.isEmpty ? "" : " " + head.reason)"
                    + " (expected \(statuses.map(\.description).joined(separator: ", ")))"
            }
        } else if head.status >= 400 || head.status < 100 {
            return "HTTP \(head.status)\(head.reason.isEmpty ? "" : " " + head.reason)"
        }
        if !checks.bodyContains.isEmpty {
            let text = body.map { String(buffer: $0) } ?? ""
            for needle in checks.bodyContains where !text.contains(needle) {
                return "CheckFailed: body does not contain \"\(needle)\""
            }
        }
        if !checks.json.isEmpty, let document {
            for check in checks.json {
                if let message = check.failure(in: document) { return "CheckFailed: \(message)" }
            }
        } else if !checks.json.isEmpty {
            return "CheckFailed: response is not JSON"
        }
        return nil
    }

    // MARK: TemplateContext

    func value(of ref: ValueRef) throws(RenderError) -> TemplateValue {
        switch ref {
        case .variable(let i):
            if variableCache.isEmpty { variableCache = Array(repeating: nil, count: ctx.plan.plan.variables.count) }
            if let v = variableCache[i] { return v }
            let v = ctx.plan.plan.variables[i].generate(using: &ctx.rng)
            variableCache[i] = v
            return v
        case .column(let feeder, let column):
            return feeders[feeder].rows[try row(of: feeder)][column]
        case .userVariable(let i):
            if i < slots.count, let v = slots[i] { return v }
            if i < ctx.globals.count, let v = ctx.globals[i] { return v }
            throw .unsetVariable(ctx.plan.plan.userVariables[i])
        case .userID:
            return .int(number)
        case .iteration:
            return .int(iteration)
        }
    }

    func row(of feeder: Int) throws(RenderError) -> Int {
        if rowCache.isEmpty { rowCache = Array(repeating: -1, count: feeders.count) }
        if rowCache[feeder] >= 0 { return rowCache[feeder] }
        guard let r = feeders[feeder].nextRow(using: &ctx.rng) else {
            throw .feederExhausted(feeders[feeder].name)
        }
        rowCache[feeder] = r
        return r
    }
}
