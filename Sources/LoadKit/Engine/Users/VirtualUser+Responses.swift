import NIOCore

/// Events from the connection: a complete response (checks, extraction, polling), failures, timeouts.
extension VirtualUser {
    /// The in-flight response is complete (`h` holds its head and body).
    func responseComplete(_ h: UserConnection) {
        guard h === handler, phase == .inFlight, let req = request else { return }
        // Status, keep-alive and body size are read in place; the head (its strings) and the captured
        // body are copied only for a response that needs them (redirect, checks, extraction, polling).
        let status = h.status
        let bodyBytes = h.bodyBytes
        phase = .idle
        deadline = 0
        if !h.keepAlive || !h.isOpen { closeConnection() }

        if h.hasLocation, req.spec.followRedirects,
           status == 301 || status == 302 || status == 303 || status == 307 || status == 308,
           let location = h.head.location {
            return followRedirect(req, status: status, location: location)
        }

        let now = NIODeadline.now().uptimeNanoseconds
        ctx.cachedNow = now
        defer { ctx.cachedNow = 0 }
        let micros = (now &- requestStart) / 1000
        if req.plain && status < 400 && status >= 100 {
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
        let head = h.head
        let body = h.body
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
    func connectionFailed(_ h: UserConnection, cause: FailureCause) {
        guard h === handler, phase == .inFlight else { return }
        fail(cause)
    }

    /// An idle connection was closed by the peer: reconnect on the next request.
    func connectionClosed(_ h: UserConnection) {
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

    /// The run is being cut off while this request waits: count it as a failure without continuing.
    func recordAbandoned(stopTimeout: Double) {
        guard let req = request, isBusy else { return }
        let micros = (ctx.now() &- requestStart) / 1000
        ctx.stats.recordFailure(stat: req.stat, micros: micros, bytes: 0, message: FailureCause.stopTimeout(stopTimeout).message)
    }

    func fail(_ cause: FailureCause) {
        guard let req = request else { return }
        let micros = (ctx.now() &- requestStart) / 1000
        closeConnection()
        phase = .idle
        deadline = 0
        ctx.stats.recordFailure(stat: req.stat, micros: micros, bytes: 0, message: cause.message)
        if setupCompletion != nil { lastFailure = "\(req.spec.method) \(req.spec.name): \(cause.message)" }
        sequenceDone(ok: false)
    }

    func schedulePoll(after seconds: Double) {
        phase = .pollWaiting
        wake(after: seconds)
    }
}
