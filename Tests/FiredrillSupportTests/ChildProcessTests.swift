import FiredrillSupport
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
}
