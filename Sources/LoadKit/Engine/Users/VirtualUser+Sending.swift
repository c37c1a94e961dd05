import NIOCore

/// Sending: pre-built or rendered request bytes over the user's connection, reconnecting when needed; redirects.
extension VirtualUser {
    func sendCurrent() {
        let req = sequence[step]
        request = req
        let now = ctx.now()
        if scheduledStart != 0 && !inOnStart {
            ctx.stats.recordLag(micros: now > scheduledStart ? (now &- scheduledStart) / 1000 : 0)
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

    func renderFailed(_ error: RenderError) {
        if case .headerBreaksLine = error, let req = request {
            // A failure of that request, as Locust counts one its HTTP client refuses (requests' InvalidHeader).
            ctx.stats.recordFailure(stat: req.stat, micros: (ctx.now() &- requestStart) / 1000, bytes: 0, message: error.message)
            if setupCompletion != nil { lastFailure = "\(req.spec.method) \(req.spec.name): \(error.message)" }
        } else {
            ctx.stats.recordException(error.message)
            if setupCompletion != nil { lastFailure = error.message }
        }
        if case .feederExhausted = error {
            stopping = true
        }
        sequenceDone(ok: false)
    }

    func transmit(_ bytes: ByteBuffer, to origin: Origin, now: UInt64) {
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
        let (h, connected) = connect(to: origin)
        connected.assumeIsolatedUnsafeUnchecked().whenComplete { [self] result in
            switch result {
            case .success:
                guard phase == .connecting, generation == connectGeneration, h.isOpen else {
                    h.close()
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

    /// A new connection to `origin` over the run's transport, and the future of its connect.
    private func connect(to origin: Origin) -> (UserConnection, EventLoopFuture<Void>) {
        #if os(Linux)
        if let sockets = ctx.sockets {
            let s = SocketConnection(user: self, loop: sockets)
            return (s, s.connect(to: origin, connector: ctx.connector))
        }
        #endif
        let h = ConnectionHandler(user: self)
        return (h, ctx.connector.connect(to: origin, on: ctx.loop, handler: h).map { _ in })
    }

    func closeConnection() {
        if let h = handler {
            handler = nil
            handlerOrigin = nil
            h.close()
        }
    }

    func followRedirect(_ req: CompiledRequest, status: Int, location: String) {
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
}
