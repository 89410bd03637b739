import Foundation
import Testing
@testable import GitOpsCore

#if os(Linux)
/// Children started at the same moment from many threads see only their own three streams:
/// not the pipes the other spawns are making, nor a descriptor this process opened without
/// close-on-exec (Foundation's `Pipe` does).
@Suite struct ChildProcessLeakTests {
    private final class Listings: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Result<[String], ChildProcessError>] = []

        func append(_ value: Result<[String], ChildProcessError>) { lock.withLock { values.append(value) } }
        var all: [Result<[String], ChildProcessError>] { lock.withLock { values } }
    }

    @Test func concurrentChildrenInheritOnlyTheirStandardStreams() throws {
        let leaky = Pipe()
        let leakyDescriptors = [leaky.fileHandleForReading.fileDescriptor, leaky.fileHandleForWriting.fileDescriptor]
        #expect(leakyDescriptors.allSatisfy { fcntl($0, F_GETFD) & FD_CLOEXEC == 0 })

        let threads = 16
        let listings = Listings()
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for _ in 0..<threads {
            done.enter()
            Thread.detachNewThread {
                start.wait()
                var ls = ChildProcess(program: "ls", arguments: ["/proc/self/fd"])
                ls.standardInput = .bytes(Array("unread".utf8))
                listings.append(Result { () throws(ChildProcessError) -> [String] in
                    String(decoding: try ls.run().standardOutput, as: UTF8.self).split(separator: "\n").map(String.init)
                })
                done.leave()
            }
        }
        for _ in 0..<threads { start.signal() }
        done.wait()

        let results = listings.all
        #expect(results.count == threads)
        for result in results {
            // 3 is the directory ls itself opened to list /proc/self/fd.
            #expect(try result.get() == ["0", "1", "2", "3"])
        }
        try leaky.fileHandleForReading.close()
        try leaky.fileHandleForWriting.close()
    }
}
#endif
