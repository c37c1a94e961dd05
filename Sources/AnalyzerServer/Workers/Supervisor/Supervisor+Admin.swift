import AnalyzerAPI

/// The admin API of a multi-worker service: the supervisor owns faults (and pushes them to every
/// worker) and the pool.
struct SupervisorAdminBackend: AdminBackend {
    let supervisor: Supervisor

    func faults() async throws -> [ActiveFault] { supervisor.faults.active() }

    func addFault(_ fault: ActiveFault) async throws {
        supervisor.faults.add(fault)
        await supervisor.pushFaults()
    }

    func removeFault(id: String) async throws -> Bool {
        let removed = supervisor.faults.remove(id: id)
        await supervisor.pushFaults()
        return removed
    }

    func clearFaults() async throws {
        supervisor.faults.removeAll()
        await supervisor.pushFaults()
    }

    func memory() async throws -> [WorkerMemory] { await supervisor.memoryReports() }

    func workers() async throws -> WorkersReport { await supervisor.report() }

    /// Starts the change and answers at once (the worker relaying the request may be one that
    /// drains); `GET /admin/workers` shows `busy` until it is done.
    func scale(to count: Int?, maxRequests: Int?, jitter: Int?) async throws -> WorkersReport {
        await supervisor.inBackground { await supervisor.scale(to: count, maxRequests: maxRequests, jitter: jitter) }
        return await supervisor.report()
    }

    func rollingRestart(featuresImplementation: FeaturesImplementation?) async throws -> WorkersReport {
        await supervisor.inBackground { await supervisor.rollingRestart(implementation: featuresImplementation) }
        return await supervisor.report()
    }
}
