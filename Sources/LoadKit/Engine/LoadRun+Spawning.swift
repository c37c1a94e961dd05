import NIOCore

/// Spawning and stopping users towards a target count at a spawn rate (closed model).
extension LoadRun {
    func currentUsers() -> Int { live.reduce(0) { $0 + $1.count } }

    func retarget(users: Int, rate: Double) {
        spawn.timer?.cancel()
        spawn = SpawnState(
            from: currentUsers(), to: users, rate: rate, t0: NIODeadline.now().uptimeNanoseconds, done: 0, timer: nil)
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
        let due: Int
        if spawn.rate <= 0 || !spawn.rate.isFinite {
            due = remaining
        } else {
            let elapsed = Double(now &- spawn.t0) / 1e9
            due = min(remaining, max(0, Int((elapsed * spawn.rate).rounded(.down)) + 1 - spawn.done))
        }
        let growing = spawn.to > spawn.from
        for _ in 0..<due {
            if growing { spawnOne() } else { stopOne() }
        }
        spawn.done += due
        updateUserCount()
        if spawn.done < total {
            let next = spawn.t0 &+ UInt64(Double(spawn.done) / spawn.rate * 1e9)
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

    func spawnOne() {
        let counts = live.map(\.count)
        guard let classIndex = distribution.nextToSpawn(current: counts) else { return }
        let ctx = contexts[nextLoop % contexts.count]
        nextLoop += 1
        let user = VirtualUser(ctx: ctx, cls: compiled.classes[classIndex], number: userNumber)
        userNumber += 1
        let handle = UserHandle(user: user, ctx: ctx)
        live[classIndex].append(handle)
        ctx.loop.execute { handle.user.start() }
    }

    func stopOne() {
        guard let classIndex = distribution.nextToStop(current: live.map(\.count)),
              let handle = live[classIndex].popLast() else { return }
        handle.ctx.loop.execute { handle.user.stop() }
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
