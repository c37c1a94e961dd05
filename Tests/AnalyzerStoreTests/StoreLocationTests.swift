import AnalyzerStore
import Foundation
import Testing

@Suite struct StoreLocationTests {
    @Test(arguments: [
        ("sqlite:data/csv-analyzer.sqlite", "data/csv-analyzer.sqlite"),
        ("sqlite:/var/lib/x.db", "/var/lib/x.db"),
        ("sqlite:///var/lib/x.db", "/var/lib/x.db"),
        ("sqlite://relative.db", "relative.db"),
        ("SQLITE::memory:", ":memory:"),
    ])
    func sqliteForms(_ text: String, _ path: String) throws {
        #expect(try StoreLocation(parsing: text) == .sqlite(path: path))
        #expect(try StoreLocation(parsing: text).backend == .sqlite)
    }

    @Test func postgresURL() throws {
        let location = try StoreLocation(parsing: "postgresql://app:p%40ss:w@db.internal:6543/analytics?sslmode=disable&pool_max=4&lease_timeout=1.5")
        guard case .postgres(let pg) = location else { Issue.record("not postgres"); return }
        #expect(pg.host == "db.internal")
        #expect(pg.port == 6543)
        #expect(pg.username == "app")
        #expect(pg.password == "p@ss:w")
        #expect(pg.database == "analytics")
        #expect(pg.tls == .disable)
        #expect(pg.maximumConnections == 4)
        #expect(pg.leaseTimeoutSeconds == 1.5)
        #expect(location.backend == .postgresql)
        #expect(!location.description.contains("p@ss"))
        #expect(location.description.contains("app:***@db.internal:6543/analytics"))
    }

    @Test func postgresDefaults() throws {
        guard case .postgres(let pg) = try StoreLocation(parsing: "postgres://me@localhost") else { Issue.record("not postgres"); return }
        #expect(pg.port == 5432)
        #expect(pg.database == "me")
        #expect(pg.password == nil)
        #expect(pg.tls == .prefer)
        #expect(pg.unixSocketPath == nil)
    }

    @Test func postgresUnixSocket() throws {
        guard case .postgres(let pg) = try StoreLocation(parsing: "postgres://me@/db?host=/run/postgresql") else { Issue.record("not postgres"); return }
        #expect(pg.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(pg.endpoint == "/run/postgresql/.s.PGSQL.5432")
    }

    @Test(arguments: [
        ("", "empty"),
        ("data.sqlite", "no scheme"),
        ("mysql://u:p@h/db", "unsupported scheme 'mysql'"),
        ("sqlite:", "needs a file path"),
        ("postgres://u:p@h:70000/db", "port"),
        ("postgres://h/db", "no user name"),
        ("postgres://u:secret@/db", "no host"),
        ("postgres://u@h/db?sslmode=verify-full", "sslmode 'verify-full'"),
        ("postgres://u@h/db?colour=blue", "unknown parameter 'colour'"),
        ("postgres://u@h/db?pool_max=0", "pool_max"),
    ])
    func badURLsAreRefusedWithAReason(_ text: String, _ mentions: String) {
        #expect {
            try StoreLocation(parsing: text)
        } throws: { error in
            let message = (error as? StoreLocationError)?.message ?? ""
            return message.contains(mentions) && message.contains("expected sqlite:PATH or postgres://") && !message.contains("secret")
        }
    }
}
