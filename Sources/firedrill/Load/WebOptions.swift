import ArgumentParser
import FiredrillWeb
import Foundation

/// `--web`, `--web-host`, `--web-port`, `--web-auth`, `--autoquit`: the live web UI of `load` and `drill`.
struct WebOptions: ParsableArguments {
    @Flag(help: "Serve a live web UI: for load, Locust's page and REST API (start, change users, stop, charts, downloads) instead of starting at once; for drill, its timeline, alerts and charts, then its report.")
    var web = false

    @Option(help: ArgumentHelp("Address for --web (default 127.0.0.1; any other needs --web-auth).", valueName: "host"))
    var webHost: String?

    @Option(help: ArgumentHelp("Port for --web (default 8089, Locust's; 0 = any free port).", valueName: "port"))
    var webPort: Int?

    @Option(help: ArgumentHelp("Basic-auth login for the web UI, 'user:pass' (required off loopback).", valueName: "user:pass"))
    var webAuth: String?

    @Option(help: ArgumentHelp(
        "With --web: quit this many seconds after the test (with --autostart) or the drill has finished (default: keep serving until Ctrl-C).",
        valueName: "seconds"))
    var autoquit: Int?

    /// True when the web UI was asked for (`--web` or `FIREDRILL_WEB=1`/`true`).
    var enabled: Bool { web }

    /// Fills unset options from FIREDRILL_WEB, _WEB_HOST, _WEB_PORT and _WEB_AUTH; a port that is not a
    /// number becomes -1, which ``settings()`` refuses.
    mutating func applyEnvironment() {
        if !web, let v = FiredrillEnvironment.value("WEB") { web = ["1", "true", "yes", "on"].contains(v.lowercased()) }
        webHost = webHost ?? FiredrillEnvironment.value("WEB_HOST")
        if webPort == nil, let v = FiredrillEnvironment.value("WEB_PORT") { webPort = Int(v) ?? -1 }
        webAuth = webAuth ?? FiredrillEnvironment.value("WEB_AUTH")
    }

    /// The server settings, checked (port range, `user:pass`, auth off loopback).
    func settings() throws -> WebSettings {
        var credentials: (user: String, password: String)?
        if let webAuth {
            guard let c = WebSettings.credentials(parsing: webAuth) else {
                throw ValidationError("--web-auth must look like 'user:pass'")
            }
            credentials = c
        }
        let settings = WebSettings(host: webHost ?? "127.0.0.1", port: webPort ?? WebSettings.defaultPort, credentials: credentials)
        do {
            try settings.validate()
        } catch {
            throw ValidationError(error.description)
        }
        return settings
    }
}

/// `load`'s web flags: the server's, and Locust's `--autostart`.
struct LoadWebOptions: ParsableArguments {
    @OptionGroup var server: WebOptions

    @Flag(help: "With --web: start the test at once (or at --start-at) with the scenario's (or -u/-r/-t's) numbers.")
    var autostart = false

    var enabled: Bool { server.enabled }

    mutating func applyEnvironment() { server.applyEnvironment() }
}
