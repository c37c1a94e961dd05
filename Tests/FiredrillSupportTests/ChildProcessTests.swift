import FiredrillSupport
import FiredrillTestSupport
import Foundation
import Synchronization
import Testing

private final class Exits: Sendable {
    let list = Mutex<[ChildProcess.ExitStatus]>([])
}

@Suite struct ChildProcessTests {
    @Test func inheritedDescriptorAndExitCallback() async throws {
        // A pipe's write end becomes the child's fd 3; the child writes to it and exits 7.
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let exits = Exits()
        var options = ChildProcess.Options(output: .inherit)
        options.ownProcessGroup = false
        options.descriptors = [3: fds[1]]
        options.onExit = { status in exits.list.withLock { $0.append(status) } }
        let child = try ChildProcess.spawn(executable: "/bin/sh", arguments: ["-c", "echo hello >&3; exit 7"], options: options)
        close(fds[1])
        #expect(getpgid(child.pid) != child.pid)  // stays in this process' group
        #expect(await child.waitForExit(timeout: .seconds(10)))
        #expect(child.exitStatus == .exited(7))
        let data = FileHandle(fileDescriptor: fds[0], closeOnDealloc: true).readDataToEndOfFile()
        #expect(String(decoding: data, as: UTF8.self) == "hello\n")
        for _ in 0..<100 where exits.list.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(exits.list.withLock { $0 } == [.exited(7)])
    }

    @Test func missingProgramIsRefused() {
        #expect(throws: SpawnError.self) {
            _ = try ChildProcess.spawn(executable: "/no/such/program", arguments: [], options: .init(output: .inherit))
        }
    }

    @Test func statusDecoding() {
        #expect(ChildProcess.ExitStatus(waitStatus: 3 << 8) == .exited(3))
        #expect(ChildProcess.ExitStatus(waitStatus: SIGKILL) == .signaled(SIGKILL))
        #expect("\(ChildProcess.ExitStatus.signaled(SIGKILL))" == "signal 9 (SIGKILL)")
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("childprocess-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func childProcessTerminatesWithinGrace() async throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let child = try ChildProcess.spawn(executable: "/bin/sleep", arguments: ["30"], logFile: dir.appendingPathComponent("sleep.log"))
        #expect(child.isRunning)
        #expect(getpgid(child.pid) == child.pid)  // a process group of its own
        await child.terminate(grace: .seconds(10))
        #expect(!child.isRunning)
        // Ended by the SIGTERM itself, not by a SIGKILL after the 10 s grace.
        #expect(child.exitStatus == .signaled(SIGTERM))
        #expect(!ProcessTable.isAlive(child.pid))
        await child.terminate(grace: .seconds(10))  // idempotent
    }

    @Test func childProcessIgnoringTermIsKilledAfterGrace() async throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // The shell ignores SIGTERM (saying so) and has a child of its own: both must go.
        // The sleeper starts while TERM is ignored (inherited); the shell then traps TERM to log it.
        let script = #"trap "" TERM; sleep 30 & c=$!; trap "echo got TERM" TERM; echo "child $c"; wait; wait"#
        let child = try ChildProcess.spawn(executable: "/bin/sh", arguments: ["-c", script],
                                           logFile: dir.appendingPathComponent("trap.log"))
        var grandchild: pid_t?
        for _ in 0..<50 where grandchild == nil {
            grandchild = child.tail(lines: 5).split(separator: "\n").first?.split(separator: " ").last.flatMap { pid_t($0) }
            try await Task.sleep(for: .milliseconds(100))
        }
        let sleeper = try #require(grandchild, "the shell did not report its child: \(child.tail())")
        #expect(ProcessTable.isAlive(sleeper))
        await child.terminate(grace: .seconds(1))
        // The order of events: SIGTERM first (the shell's trap logged it and it lived on), SIGKILL after the grace.
        #expect(child.tail(lines: 5).contains("got TERM"), "\(child.tail())")
        #expect(child.exitStatus == .signaled(SIGKILL))
        #expect(!ProcessTable.isAlive(child.pid))
        for _ in 0..<20 where ProcessTable.isAlive(sleeper) { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!ProcessTable.isAlive(sleeper), "the shell's child survived")
    }

    @Test func childProcessRecordsExitAndLog() async throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("logs/out.log")
        // stdin is /dev/null: `cat` ends at once.
        let child = try ChildProcess.spawn(executable: "/bin/sh", arguments: ["-c", "cat; echo one; echo two >&2; pwd; exit 3"],
                                           logFile: log, workingDirectory: dir)
        #expect(await child.waitForExit(timeout: .seconds(10)))
        #expect(child.exitStatus == .exited(3))
        #expect(child.exitStatus?.description == "exit code 3")
        let lines = child.tail(lines: 3).split(separator: "\n")
        #expect(lines.prefix(2) == ["one", "two"])
        #expect(lines.last.map { URL(fileURLWithPath: String($0)).resolvingSymlinksInPath().path }
                    == dir.resolvingSymlinksInPath().path)
        #expect(child.tail(lines: 1) == lines.last.map(String.init))
        do {
            _ = try ChildProcess.spawn(executable: "/no/such/program", arguments: [], logFile: log)
            Issue.record("a missing program must be refused")
        } catch {
            #expect(error.message.contains("/no/such/program"))
        }
    }
}
