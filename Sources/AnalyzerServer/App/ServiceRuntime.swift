import AnalyzerAPI
import AnalyzerCore
import Foundation
import Logging
import Synchronization

/// The service's run-time switches and fault machinery, shared by the request path and the
/// admin API: which `generate_features` runs, the memory budget, the leak, injected faults.
final class ServiceRuntime: Sendable {
    let budget: MemoryBudget
    let featureCache = FeatureCache()
    let faults: FaultRegistry
    let errorLog: ErrorLog
    let leakScale: Int
    /// Worker slot (`0…N-1`) when running under the supervisor; nil in single-process mode.
    let workerSlot: Int?
    private let implementation: Mutex<FeaturesImplementation>

    init(
        implementation: FeaturesImplementation, leakScale: Int, memoryShare: Int64?, workerSlot: Int?,
        errorLog: ErrorLog, metrics: ServiceMetrics, logger: Logger
    ) {
        self.implementation = Mutex(implementation)
        self.leakScale = leakScale
        self.workerSlot = workerSlot
        self.errorLog = errorLog
        budget = MemoryBudget(shareBytes: memoryShare)
        faults = FaultRegistry(logger: logger) { active in metrics.setActiveFaults(active) }
    }

    /// The configured implementation (a rolling restart changes it under the supervisor).
    var featuresImplementation: FeaturesImplementation {
        get { implementation.withLock { $0 } }
        set { implementation.withLock { $0 = newValue } }
    }

    /// Legacy runs when configured or while a `feature_leak` fault is active.
    var usesLegacyFeatures: Bool {
        featuresImplementation == .legacy || !faults.active(.featureLeak).isEmpty
    }

    /// The generator for this request, or nil for the default in-place one.
    func legacyGenerator() -> LegacyFeatureGenerator? {
        usesLegacyFeatures ? LegacyFeatureGenerator(cache: featureCache, scale: leakScale, budget: budget) : nil
    }

    /// Runs the sampler and fault expiry until cancelled.
    func runBackgroundTasks() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.budget.runSampler() }
            group.addTask { await self.faults.runExpiry() }
        }
    }
}
