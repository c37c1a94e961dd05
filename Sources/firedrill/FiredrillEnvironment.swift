import Foundation

/// The environment variables that stand in for unset flags (`FIREDRILL_USERS` for `--users`, …),
/// read one way: a variable set to the empty string counts as unset.
enum FiredrillEnvironment {
    /// `FIREDRILL_<name>`, or nil when it is unset or empty.
    static func value(_ name: String) -> String? {
        variable("FIREDRILL_" + name)
    }

    /// The variable `fullName`, or nil when it is unset or empty.
    static func variable(_ fullName: String) -> String? {
        ProcessInfo.processInfo.environment[fullName].flatMap { $0.isEmpty ? nil : $0 }
    }
}
