import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A gitopsctl killed in the middle of an `-o` write leaves no temp file behind and the target
/// as it was, and dies of the signal (exit status 128+N in a shell). The input is a FIFO the
/// test holds open, so the process is deterministically stuck mid-write when the signal comes:
/// it has written part of the output and waits for more input.
@Suite("Interrupted writes")
struct InterruptedWriteTests {
    enum Direction: String, Sendable, CaseIterable { case decrypt, encrypt }

    struct Case: Sendable, CustomTestStringConvertible {
        var direction: Direction
        var signal: Int32
        var targetExists: Bool
        var testDescription: String { "age \(direction) -o, signal \(signal), target \(targetExists ? "exists" : "absent")" }
    }

    static let cases = [
        Case(direction: .decrypt, signal: SIGTERM, targetExists: true),
        Case(direction: .decrypt, signal: SIGINT, targetExists: false),
        Case(direction: .decrypt, signal: SIGHUP, targetExists: true),
        Case(direction: .encrypt, signal: SIGINT, targetExists: true),
        Case(direction: .encrypt, signal: SIGTERM, targetExists: false),
    ]

    @Test(arguments: cases)
    func signalMidWriteLeavesNothingBehind(_ testCase: Case) async throws {
        let directory = try TemporaryDirectory(prefix: "interrupted-write")
        let key = directory.path("key.txt").path
        #expect(try ProcessRunner.gitopsctl(["keygen", "-o", key]).status == 0)
        let recipient = try ProcessRunner.gitopsctl(["keygen", "-y", key]).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // 1 MiB of plaintext: sixteen 64 KiB STREAM chunks.
        let plaintext = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) })
        let input: Data
        switch testCase.direction {
        case .encrypt:
            input = plaintext
        case .decrypt:
            let plainFile = try directory.write("plain", "")
            try plaintext.write(to: plainFile)
            let encrypted = directory.path("plain.age").path
            #expect(try ProcessRunner.gitopsctl(["age", "encrypt", "-r", recipient, "-o", encrypted, plainFile.path]).status == 0)
            input = try Data(contentsOf: URL(fileURLWithPath: encrypted))
        }

        let outputs = try TemporaryDirectory(prefix: "interrupted-out")
        let target = outputs.path("out")
        let original = Data("the file as it was before\n".utf8)
        if testCase.targetExists { try original.write(to: target) }
        let fifo = directory.path("input").path
        #expect(mkfifo(fifo, 0o600) == 0)

        let arguments = testCase.direction == .decrypt
            ? ["age", "decrypt", "-i", key, "-o", target.path, fifo]
            : ["age", "encrypt", "-r", recipient, "-o", target.path, fifo]
        let child = try SignalReadyChild(TestPaths.binary.path, arguments, logs: directory)
        // A third of the input: enough for several chunks to be written, not enough to finish.
        let feeder = FIFOFeeder(path: fifo, bytes: Array(input.prefix(input.count / 3)))

        let temporary = try await waitForPartialTemporaryFile(in: outputs.url)
        #expect(temporary != nil, "no partial temp file appeared; stderr: \(child.stderr)")
        child.send(testCase.signal)
        let status = child.wait()
        feeder.finish()

        #expect(status == 128 + testCase.signal, "stderr: \(child.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: outputs.url.path)
        #expect(left == (testCase.targetExists ? ["out"] : []))
        if testCase.targetExists { #expect(try Data(contentsOf: target) == original) }
    }

    /// A signal the process was started with ignored (`nohup`, `trap '' INT`) stays ignored:
    /// the write goes on and completes.
    @Test func ignoredSignalStaysIgnored() async throws {
        let directory = try TemporaryDirectory(prefix: "ignored-signal")
        let key = directory.path("key.txt").path
        #expect(try ProcessRunner.gitopsctl(["keygen", "-o", key]).status == 0)
        let plaintext = Array(repeating: Array("an ignored interrupt changes nothing\n".utf8), count: 20_000).flatMap { $0 }
        let recipient = try ProcessRunner.gitopsctl(["keygen", "-y", key]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        let plainFile = directory.path("plain")
        try Data(plaintext).write(to: plainFile)
        let encryptedFile = directory.path("plain.age").path
        #expect(try ProcessRunner.gitopsctl(["age", "encrypt", "-r", recipient, "-o", encryptedFile, plainFile.path]).status == 0)
        let input = Array(try Data(contentsOf: URL(fileURLWithPath: encryptedFile)))

        let outputs = try TemporaryDirectory(prefix: "ignored-out")
        let target = outputs.path("out")
        let fifo = directory.path("input").path
        #expect(mkfifo(fifo, 0o600) == 0)
        // sh sets SIGINT to SIG_IGN, which exec keeps.
        let child = try SignalReadyChild("/bin/sh", ["-c", #"trap "" INT; exec "$0" "$@""#, TestPaths.binary.path,
                                                     "age", "decrypt", "-i", key, "-o", target.path, fifo], logs: directory)
        let split = input.count / 3
        let feeder = FIFOFeeder(path: fifo, bytes: Array(input[..<split]))
        #expect(try await waitForPartialTemporaryFile(in: outputs.url) != nil, "stderr: \(child.stderr)")
        // An ignored signal is discarded when it is sent, so nothing is left to race with.
        child.send(SIGINT)
        feeder.finish(writing: Array(input[split...]))
        #expect(child.wait() == 0, "stderr: \(child.stderr)")
        #expect(Array(try Data(contentsOf: target)) == plaintext)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outputs.url.path) == ["out"])
    }

    /// `edit` with the editor still open when the terminal goes away (SIGHUP): the decrypted
    /// scratch copy and its private directory are removed, the encrypted file is untouched.
    @Test func hangupDuringEditRemovesThePlaintext() async throws {
        let directory = try TemporaryDirectory(prefix: "interrupted-edit")
        let key = TestPaths.vectors.appendingPathComponent("keys/alice.txt").path
        let recipient = try ProcessRunner.gitopsctl(["keygen", "-y", key]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.copyItem(at: TestPaths.fixtures.appendingPathComponent("sops/flux-secret.yaml"),
                                         to: directory.path("secret.yaml"))
        let encrypted = try ProcessRunner.gitopsctl(["encrypt", "-i", "--age", recipient, "secret.yaml"], in: directory.url)
        try #require(encrypted.status == 0, "\(encrypted.stderrText)")
        let before = try Data(contentsOf: directory.path("secret.yaml"))
        // The editor says which file it got and who it is, then stays open.
        let marker = directory.path("editor-started").path
        let editor = try directory.write("editor.sh", """
            #!/bin/sh
            printf '%s\\n%s\\n' "$$" "$1" > "\(marker).tmp" && mv "\(marker).tmp" "\(marker)"
            exec sleep 600
            """)
        chmod(editor.path, 0o700)

        let child = try SignalReadyChild(TestPaths.binary.path, ["edit", directory.path("secret.yaml").path], logs: directory,
                                         environment: ["SOPS_AGE_KEY_FILE": key, "EDITOR": editor.path, "SOPS_EDITOR": nil,
                                                       "SOPS_AGE_KEY": nil])
        var started: [String] = []
        for _ in 0..<600 where started.count < 2 {
            started = ((try? String(contentsOfFile: marker, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            if started.count < 2 { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        try #require(started.count == 2, "the editor did not start; stderr: \(child.stderr)")
        let scratch = started[1]
        let editorProcess = try #require(pid_t(started[0]))
        defer { kill(editorProcess, SIGKILL) }
        #expect(try String(contentsOfFile: scratch, encoding: .utf8).contains("hunter2"))

        child.send(SIGHUP)
        #expect(child.wait() == 128 + SIGHUP, "stderr: \(child.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch))
        #expect(!FileManager.default.fileExists(atPath: (scratch as NSString).deletingLastPathComponent))
        #expect(try Data(contentsOf: directory.path("secret.yaml")) == before)
    }

    /// Polls (without timing anything) until the writer's hidden temp file holds output bytes.
    private func waitForPartialTemporaryFile(in directory: URL) async throws -> String? {
        for _ in 0..<600 {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".out.tmp-") }
            if let name = names.first,
               let size = try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int,
               size > 0 {
                return name
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return nil
    }
}

/// Handed from the test to the feeder thread; the semaphore orders the write before the read.
private final class RestOfInput: @unchecked Sendable {
    var bytes: [UInt8] = []
}

/// The binary under test, started with posix_spawn so that SIGINT, SIGTERM and SIGHUP have their
/// default dispositions and are not blocked: a child of a Swift Testing thread would otherwise
/// inherit a blocked SIGTERM (swift-corelibs-foundation issue 4772) and never see the signal.
/// stdout and stderr go to files in `logs`; `environment` entries are added to (or, with a nil
/// value, removed from) the test's own.
private final class SignalReadyChild: @unchecked Sendable {
    let pid: pid_t
    private let stderrPath: String

    init(_ executable: String, _ arguments: [String], logs: TemporaryDirectory,
         environment: [String: String?] = [:]) throws {
        stderrPath = logs.path("child-stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logs.path("child-stdout").path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // A pipe of another test that this child inherits is held only until the signal ends
        // it, moments later; its own descriptors (the FIFO feeder's) are close-on-exec.

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw KubeAPIServerError(message: "posix_spawn failed: \(String(cString: strerror(result)))") }
        pid = child
    }

    func send(_ signal: Int32) { kill(pid, signal) }

    /// The exit status as a shell reports it: the exit code, or 128+N after signal N.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
}

/// Writes bytes into a FIFO from a thread of its own and keeps the write end open until
/// `finish()`, so the reader waits for more input instead of seeing its end.
private final class FIFOFeeder: @unchecked Sendable {
    private let path: String
    private let done = DispatchSemaphore(value: 0)
    private let closed = DispatchSemaphore(value: 0)
    private let rest = RestOfInput()

    init(path: String, bytes: [UInt8]) {
        self.path = path
        // The reader may be gone before all bytes are taken: EPIPE, not a SIGPIPE for the tests.
        signal(SIGPIPE, SIG_IGN)
        Thread { [done, closed, rest] in
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd >= 0 {
                FIFOFeeder.write(bytes, to: fd)
                done.wait()
                FIFOFeeder.write(rest.bytes, to: fd)
                close(fd)
            }
            closed.signal()
        }.start()
    }

    private static func write(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Writes `remaining` (the rest of the input), then closes the write end. If the child never
    /// opened the FIFO, opening (and closing) its read end here releases the feeder's blocked
    /// open; its writes then fail with EPIPE.
    func finish(writing remaining: [UInt8] = []) {
        rest.bytes = remaining
        done.signal()
        let reader = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if reader >= 0 { close(reader) }
        closed.wait()
    }
}
