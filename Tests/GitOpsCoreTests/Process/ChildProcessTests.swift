import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

@Suite struct ChildProcessTests {
    private func shell(_ script: String) -> ChildProcess {
        ChildProcess(program: "sh", arguments: ["-c", script])
    }

    @Test func capturesStandardOutputAndErrorSeparately() throws {
        let result = try shell("printf 'to out'; printf 'to err' >&2; exit 3").run()
        #expect(result.termination == .exited(3))
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "to out")
        #expect(String(decoding: result.standardError, as: UTF8.self) == "to err")
        #expect(!result.succeeded)
    }

    /// Both pipes fill (64 KiB each) many times over while the child writes to both at once: a
    /// reader that waited for one stream's end first would leave the other writer stuck.
    @Test func severalMegabytesOnBothStreamsAtOnce() throws {
        let result = try shell("(yes err | head -c 3000000 >&2) & yes out | head -c 4000000; wait").run()
        #expect(result.termination == .exited(0))
        #expect(result.standardOutput.count == 4_000_000)
        #expect(result.standardError.count == 3_000_000)
        #expect(result.standardOutput.starts(with: Array("out\nout\n".utf8)))
        #expect(result.standardError.starts(with: Array("err\nerr\n".utf8)))
        #expect(!result.standardOutput.contains(UInt8(ascii: "e")))
    }

    /// cat echoes while it reads: input is written while output is read, or both sides stall.
    @Test func feedsStandardInputWhileReadingOutput() throws {
        let input = (0..<5_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var cat = ChildProcess(program: "cat")
        cat.standardInput = .bytes(input)
        let result = try cat.run()
        #expect(result.termination == .exited(0))
        #expect(result.standardOutput == input)
    }

    /// The child stops reading after 10 bytes; the rest of the write meets a closed pipe, which
    /// must not end gitopsctl with SIGPIPE.
    @Test func childClosingItsInputEarlyIsNoError() throws {
        var head = ChildProcess(program: "head", arguments: ["-c", "10"])
        head.standardInput = .bytes(Array(repeating: UInt8(ascii: "x"), count: 2_000_000))
        let result = try head.run()
        #expect(result.termination == .exited(0))
        #expect(result.standardOutput == Array(repeating: UInt8(ascii: "x"), count: 10))
    }

    @Test func inputDefaultsToTheNullDevice() throws {
        let result = try shell("cat; echo done").run()
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "done\n")
    }

    @Test func discardedOutputIsNotCollected() throws {
        var child = shell("echo visible; echo hidden >&2")
        child.standardError = .discarded
        let result = try child.run()
        #expect(result.standardOutput == Array("visible\n".utf8))
        #expect(result.standardError.isEmpty)
    }

    @Test(arguments: [("exit 0", ChildProcessResult.Termination.exited(0)), ("exit 42", .exited(42)),
                      ("kill -USR1 $$", .signalled(SIGUSR1)), ("kill -KILL $$", .signalled(SIGKILL))])
    func reportsExitStatusOrSignal(_ testCase: (String, ChildProcessResult.Termination)) throws {
        #expect(try shell(testCase.0).run().termination == testCase.1)
    }

    @Test func terminationDescriptionsForMessages() {
        #expect(ChildProcessResult.Termination.exited(1).description == "exit status 1")
        #expect(ChildProcessResult.Termination.signalled(9).description == "killed by signal 9")
        #expect(ChildProcessResult.Termination.timedOut(after: .seconds(10), signalSent: SIGTERM).description
            == "timed out after 10 seconds")
    }

    @Test func timeoutStopsTheChildWithSIGTERM() throws {
        var sleeper = ChildProcess(program: "sleep", arguments: ["60"])
        sleeper.timeout = .milliseconds(300)
        let result = try sleeper.run()
        // SIGTERM sufficed: the child did not inherit the test thread's blocked signals.
        #expect(result.termination == .timedOut(after: .milliseconds(300), signalSent: SIGTERM))
    }

    @Test func timeoutKeepsWhatTheChildWroteOnItsWayOut() throws {
        var child = shell("trap 'kill $!; echo stopping; exit 7' TERM; echo started; sleep 60 >/dev/null & wait")
        child.timeout = .milliseconds(300)
        let result = try child.run()
        #expect(result.termination == .timedOut(after: .milliseconds(300), signalSent: SIGTERM))
        #expect(String(decoding: result.standardOutput, as: UTF8.self) == "started\nstopping\n")
    }

    @Test func childIgnoringSIGTERMGetsSIGKILL() throws {
        var child = shell("trap '' TERM; exec sleep 60")
        child.timeout = .milliseconds(200)
        child.terminationGrace = .milliseconds(200)
        let result = try child.run()
        #expect(result.termination == .timedOut(after: .milliseconds(200), signalSent: SIGKILL))
    }

    @Test func missingProgramIsNamed() throws {
        let error = #expect(throws: ChildProcessError.self) {
            try ChildProcess(program: "gitopsctl-no-such-program", arguments: ["secret-argument"]).run()
        }
        #expect(error == .programNotFound(program: "gitopsctl-no-such-program"))
        #expect(error?.description == "cannot run gitopsctl-no-such-program: no such program on PATH")
        let path = #expect(throws: ChildProcessError.self) { try ChildProcess(program: "./no/such/file").run() }
        #expect(path?.description == "cannot run ./no/such/file: no such file")
    }

    @Test func nonExecutableFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let script = try directory.write("plain.txt", "echo hi\n")
        let error = #expect(throws: ChildProcessError.self) { try ChildProcess(program: script.path).run() }
        #expect(error == .cannotStart(program: script.path, reason: "permission denied"))
    }

    @Test func environmentIsInheritedWithAdditionsOrReplaced() throws {
        var added = shell("printf '%s|%s' \"$GITOPSCTL_CHILD_TEST\" \"$PATH\"")
        added.environment = .inherited(adding: ["GITOPSCTL_CHILD_TEST": "added value"])
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        #expect(String(decoding: try added.run().standardOutput, as: UTF8.self) == "added value|\(path)")

        var exact = ChildProcess(program: "/usr/bin/env")
        exact.environment = .exactly(["ONLY": "this", "AND": "that"])
        #expect(String(decoding: try exact.run().standardOutput, as: UTF8.self) == "AND=that\nONLY=this\n")
    }

    @Test func workingDirectoryIsUsed() throws {
        let directory = try TemporaryDirectory()
        var pwd = shell("pwd -P")
        pwd.workingDirectory = directory.url.path
        let expected = directory.url.resolvingSymlinksInPath().path
        #expect(String(decoding: try pwd.run().standardOutput, as: UTF8.self) == expected + "\n")

        pwd.workingDirectory = directory.path("absent").path
        let error = #expect(throws: ChildProcessError.self) { try pwd.run() }
        #expect(error == .noWorkingDirectory(program: "sh", path: directory.path("absent").path))
    }

    #if os(Linux)
    /// A spawn inherits the calling thread's signal mask (Swift Testing's and Dispatch's
    /// threads block most signals); the child must start with none blocked and none of the
    /// standard ones ignored. (glibc's posix_spawn itself leaves its two internal real-time
    /// signals, 32 and 33, ignored in every child.)
    @Test func childStartsWithCleanSignalState() throws {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        sigaddset(&blocked, SIGUSR1)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let status = String(decoding: try ChildProcess(program: "cat", arguments: ["/proc/self/status"]).run().standardOutput,
                            as: UTF8.self)
        func mask(_ name: String) -> UInt64? {
            status.split(separator: "\n").first { $0.hasPrefix(name + ":") }
                .flatMap { UInt64($0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces), radix: 16) }
        }
        #expect(mask("SigBlk") == 0)
        #expect(mask("SigIgn").map { $0 & 0x7fff_ffff } == 0)
    }
    #endif
}
