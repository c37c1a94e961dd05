import NIOConcurrencyHelpers

/// A toxic in force on a proxy: its spec, when it expires, and `fail_first`'s count of requests
/// failed so far (shared by every connection of the proxy).
final class ActiveToxic: Sendable {
    let spec: ToxicSpec
    /// Wall-clock expiry (seconds since 1970), when the toxic has a TTL.
    let expiresAt: Double?
    private let failures = NIOLockedValueBox<Int64>(0)

    init(spec: ToxicSpec, now: Double) {
        self.spec = spec
        self.expiresAt = spec.ttlDuration.map { now + Double($0.components.seconds) + Double($0.components.attoseconds) / 1e18 }
    }

    /// For `fail_first`: true while fewer than `requests` requests have been failed (and counts this one).
    func claimFailure() -> Bool {
        guard case .failFirst(_, let requests, _, _) = spec.kind else { return false }
        return failures.withLockedValue { count in
            guard count < requests else { return false }
            count += 1
            return true
        }
    }
}
