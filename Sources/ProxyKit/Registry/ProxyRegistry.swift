import Foundation
import Logging
import NIOCore

/// Every proxy of a server, by name, and every change to them: one change at a time (an actor), each
/// either done whole or not at all (a proxy whose listen address is refused is not kept; a populate
/// that fails part-way undoes what it did).
actor ProxyRegistry {
    private var proxies: [String: ProxyRuntime] = [:]
    private var order: [String] = []
    private var expiries: [String: Task<Void, Never>] = [:]
    private let group: EventLoopGroup
    private let logger: Logger

    init(group: EventLoopGroup, logger: Logger) {
        self.group = group
        self.logger = logger
    }

    var all: [ProxyRuntime] { order.compactMap { proxies[$0] } }

    func proxy(_ name: String) throws -> ProxyRuntime {
        guard let proxy = proxies[name] else { throw ProxyError.proxyNotFound }
        return proxy
    }

    /// `POST /proxies`.
    func create(_ spec: ProxySpec) async throws -> ProxyRuntime {
        guard proxies[spec.name] == nil else { throw ProxyError.proxyExists }
        let runtime = ProxyRuntime(spec: spec, group: group, logger: logger)
        if spec.enabled { try await runtime.start() }
        proxies[spec.name] = runtime
        order.append(spec.name)
        return runtime
    }

    /// `POST /proxies/{proxy}`: listen or upstream changed → restarted (connections dropped);
    /// `enabled` switches listening on or off (disabling closes every connection).
    func update(_ name: String, with json: JSONValue) async throws -> ProxyRuntime {
        let runtime = try proxy(name)
        let current = runtime.spec
        var input = try ProxySpec.parse(json, base: current)
        input.name = name
        let moved = input.listen != current.listen || input.upstream != current.upstream || input.protocol != current.protocol
        do {
            if moved {
                await runtime.stop()
                runtime.respec(input)
            }
            if input.enabled, !runtime.spec.enabled { try await runtime.start() }
            if !input.enabled, runtime.spec.enabled { await runtime.stop() }
        } catch {
            // Refused (the new listen address is taken): back to what it was.
            runtime.respec(current)
            if current.enabled { try? await runtime.start() }
            throw error
        }
        return runtime
    }

    /// `DELETE /proxies/{proxy}`.
    func delete(_ name: String) async throws {
        let runtime = try proxy(name)
        await runtime.stop()
        for toxic in runtime.toxics { cancelExpiry(name, toxic.spec.name) }
        proxies[name] = nil
        order.removeAll { $0 == name }
    }

    /// `POST /populate`: creates the proxies that are missing, replaces those whose listen or
    /// upstream differ, leaves the rest alone. Validated whole first; undone if a listen fails.
    func populate(_ json: JSONValue) async throws -> [ProxyRuntime] {
        guard case .array(let items) = json else { throw ProxyError.badBody("populate expects a JSON array of proxies") }
        var specs: [ProxySpec] = []
        for (i, item) in items.enumerated() {
            let spec = try ProxySpec.parse(item, position: i + 1)
            guard !specs.contains(where: { $0.name == spec.name }) else { throw ProxyError.badBody("duplicate proxy name \"\(spec.name)\"") }
            specs.append(spec)
        }
        var created: [String] = []
        var replaced: [(runtime: ProxyRuntime, enabled: Bool)] = []
        let previousOrder = order
        var result: [ProxyRuntime] = []
        do {
            for spec in specs {
                if let existing = proxies[spec.name] {
                    let same = existing.spec.upstream == spec.upstream && (existing.spec.listen == spec.listen || spec.listen.hasSuffix(":0"))
                    if same { result.append(existing); continue }
                    replaced.append((existing, existing.spec.enabled))
                    try await delete(spec.name)
                }
                result.append(try await create(spec))
                created.append(spec.name)
            }
        } catch {
            // Undone whole: the new proxies go, the replaced ones come back with their toxics.
            for name in created { try? await delete(name) }
            for (runtime, enabled) in replaced {
                proxies[runtime.spec.name] = runtime
                if enabled { try? await runtime.start() }
                for toxic in runtime.toxics { scheduleExpiry(runtime.spec.name, toxic) }
            }
            order = previousOrder
            throw error
        }
        return result
    }

    /// `POST /proxies/{proxy}/toxics`.
    func addToxic(_ proxyName: String, _ json: JSONValue) async throws -> ActiveToxic {
        let runtime = try proxy(proxyName)
        let spec = try ToxicSpec.parse(json)
        guard !runtime.toxics.contains(where: { $0.spec.name == spec.name }) else { throw ProxyError.toxicExists }
        if spec.kind.isHTTP, runtime.spec.protocol != .http {
            throw ProxyError.badBody("\(spec.kind.typeName) is an HTTP toxic: proxy \"\(proxyName)\" must be created with \"protocol\": \"http\"")
        }
        let toxic = ActiveToxic(spec: spec, now: Date().timeIntervalSince1970)
        await runtime.add(toxic)
        scheduleExpiry(proxyName, toxic)
        return toxic
    }

    /// `POST /proxies/{proxy}/toxics/{toxic}`: new attributes or toxicity (and TTL, restarted).
    func updateToxic(_ proxyName: String, _ name: String, _ json: JSONValue) async throws -> ActiveToxic {
        let runtime = try proxy(proxyName)
        guard let old = runtime.toxics.first(where: { $0.spec.name == name }) else { throw ProxyError.toxicNotFound }
        let toxic = ActiveToxic(spec: try old.spec.updated(with: json), now: Date().timeIntervalSince1970)
        cancelExpiry(proxyName, name)
        await runtime.remove(name)
        await runtime.add(toxic)
        scheduleExpiry(proxyName, toxic)
        return toxic
    }

    /// `DELETE /proxies/{proxy}/toxics/{toxic}`.
    func removeToxic(_ proxyName: String, _ name: String) async throws {
        let runtime = try proxy(proxyName)
        guard runtime.toxics.contains(where: { $0.spec.name == name }) else { throw ProxyError.toxicNotFound }
        cancelExpiry(proxyName, name)
        await runtime.remove(name)
    }

    /// `POST /reset`: every proxy enabled, every toxic removed.
    func reset() async throws {
        for runtime in all {
            for toxic in runtime.toxics {
                cancelExpiry(runtime.spec.name, toxic.spec.name)
                await runtime.remove(toxic.spec.name)
            }
            try await runtime.start()
        }
    }

    /// Stops every proxy (the server is shutting down).
    func stopAll() async {
        for task in expiries.values { task.cancel() }
        expiries.removeAll()
        for runtime in all { await runtime.stop() }
    }

    // MARK: TTL

    private func scheduleExpiry(_ proxyName: String, _ toxic: ActiveToxic) {
        guard let ttl = toxic.spec.ttlDuration else { return }
        let key = proxyName + "\u{0}" + toxic.spec.name
        expiries[key] = Task { [weak self] in
            try? await Task.sleep(for: ttl)
            guard !Task.isCancelled else { return }
            await self?.expire(proxyName, toxic)
        }
    }

    private func expire(_ proxyName: String, _ toxic: ActiveToxic) async {
        expiries[proxyName + "\u{0}" + toxic.spec.name] = nil
        guard let runtime = proxies[proxyName], runtime.toxics.contains(where: { $0 === toxic }) else { return }
        await runtime.remove(toxic.spec.name)
        logger.info("toxic expired", metadata: ["proxy": "\(proxyName)", "toxic": "\(toxic.spec.name)", "ttl": "\(toxic.spec.ttl ?? "")"])
    }

    private func cancelExpiry(_ proxyName: String, _ name: String) {
        expiries.removeValue(forKey: proxyName + "\u{0}" + name)?.cancel()
    }
}
