import ArgumentParser
import LoadKit

@main
struct Firedrill: ParsableCommand {
    func run() throws { print(LoadKit.version) }
}
