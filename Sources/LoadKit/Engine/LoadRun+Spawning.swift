import NIOCore
import FiredrillSupport

/// Spawning and stopping users towards a target count at a spawn rate (closed model).
extension LoadRun {
    func currentUsers() -> Int { live.reduce(0) { $0 + $1.count } }

    /// Most users started or stopped in one step. The next batch waits until every loop has taken this
    /// one, so a stop (the run time, Ctrl-C) queued behind it runs after at most one batch, whatever
    /// `-u` and `-r` are (`-u 100000 -r 100000 -t 3s` queued 100,000 starts ahead of the stop).
    static let spawnBatch = 500

    func retarget(users: Int, rate: Double) {
        spawn.timer?.cancel()
        spawn = SpawnState(
            from: currentUsers(), to: users, rate: rate, t0: NIODeadline.now().uptimeNanoseconds, done: 0, timer: nil,
            generation: spawn.generation &+ 1)
        if phase == .running && users != spawn.from { phase = .spawning }
        spawnStep()
    }

    func spawnStep() {
        guard phase == .spawning || phase == .running else { return }
        let total = abs(spawn.to - spawn.from)
        let remaining = total - spawn.done
        guard remaining > 0 else {
            phase = .running
            return
        }
        let now = NIODeadline.now().uptimeNanoseconds
        var due: Int
        if spawn.rate <= 0 || !spawn.rate.isFinite {
            due = remaining
        } else {
            let elapsed = Double(now &- spawn.t0) / 1e9
            // Compared as Doubles first: a huge rate (`-r 1e308`) would overflow Int.
            let scheduled = (elapsed * spawn.rate).rounded(.down)
            due = scheduled >= Double(total) ? remaining : min(remaining, max(0, Int(scheduled) + 1 - spawn.done))
        }
        due = min(due, Self.spawnBatch)
        let growing = spawn.to > spawn.from
        var batches: [ObjectIdentifier: (LoopContext, [UserHandle])] = [:]
        for _ in 0..<due {
            guard let handle = growing ? spawnOne() : stopOne() else { continue }
            batches[ObjectIdentifier(handle.ctx), default: (handle.ctx, [])].1.append(handle)
        }
        let taken = batches.values.map { entry in
            let (ctx, handles) = entry
            return ctx.loop.submit {
                for h in handles { if growing { h.user.start() } else { h.user.stop() } }
            }
        }
        spawn.done += due
        updateUserCount()
        if spawn.done < total {
            let generation = spawn.generation
            if due == Self.spawnBatch {
                // Behind schedule: go on once the loops have taken this batch.
                EventLoopFuture.andAllComplete(taken, on: control).whenComplete { [self] _ in
                    if spawn.generation == generation { spawnStep() }
                }
                return
            }
            let next = spawn.t0 &+ UInt64(DurationText.timerNanoseconds(Double(spawn.done) / spawn.rate))
            spawn.timer = control.scheduleTask(deadline: .uptimeNanoseconds(next)) { [self] in spawnStep() }
        } else {
            phase = .running
            options.logger.info("users reached", metadata: [
                "users": "\(spawn.to)", "seconds": "\(String(format3: Double(now &- startNanos) / 1e9))"])
            if ramps.count < 100 {
                ramps.append(RampRecord(
                    users: spawn.to, startedAt: Double(spawn.t0 &- startNanos) / 1e9,
                    reachedAt: Double(now &- startNanos) / 1e9))
            }
        }
    }

    /// Creates the next user (its loop starts it with the batch).
    func spawnOne() -> UserHandle? {
        let counts = live.map(\.count)
        let pick = classTargets.map { t in Self.widestGap(counts.indices.map { t[$0] - counts[$0] }) }
            ?? distribution.nextToSpawn(current: counts)
        guard let classIndex = pick else { return nil }
        let ctx = contexts[nextLoop % contexts.count]
        nextLoop += 1
        let user = VirtualUser(ctx: ctx, cls: compiled.classes[classIndex], number: userNumber)
        userNumber += 1
        let handle = UserHandle(user: user, ctx: ctx)
        live[classIndex].append(handle)
        return handle
    }

    /// Picks the next user to stop (its loop stops it with the batch).
    func stopOne() -> UserHandle? {
        let counts = live.map(\.count)
        let pick = classTargets.map { t in Self.widestGap(counts.indices.map { counts[$0] - t[$0] }) }
            ?? distribution.nextToStop(current: counts)
        guard let classIndex = pick else { return nil }
        return live[classIndex].popLast()
    }

    func updateUserCount() {
        let n = currentUsers()
        shared.withLock { $0.users = n }
    }
}

/// A user and its loop, held by the controller to stop it later.
struct UserHandle: @unchecked Sendable {
    let user: VirtualUser
    let ctx: LoopContext
}
