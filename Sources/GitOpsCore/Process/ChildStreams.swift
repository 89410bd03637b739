#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pipes between gitopsctl and one child: made close-on-exec, and pumped in one `poll`
/// loop that writes the child's input while reading both its outputs, so a child that fills
/// one pipe while we wait on another cannot stall either side.
struct ChildStreams {
    /// What the child's descriptors 0, 1 and 2 become, for `PosixSpawn.spawn`.
    private(set) var childDescriptors: [PosixSpawn.Descriptor] = []
    private(set) var collectedOutput: [UInt8] = []
    private(set) var collectedError: [UInt8] = []

    private var childEnds: [Int32] = []
    private var input: Int32?
    private var pendingInput: [UInt8] = []
    private var inputOffset = 0
    private var output: Int32?
    private var error: Int32?

    /// Bytes read or written per call.
    private static let chunk = 64 * 1024

    init(input: ChildProcess.Input, output: ChildProcess.Output, error: ChildProcess.Output) throws(PosixSpawn.Failure) {
        do throws(PosixSpawn.Failure) {
            switch input {
            case .nullDevice: childDescriptors.append(.nullDevice(writable: false))
            case .inherited: childDescriptors.append(.inherited)
            case let .bytes(bytes):
                let pipe = try Self.makePipe()
                childEnds.append(pipe.read)
                childDescriptors.append(.pipe(pipe.read))
                Self.nonBlocking(pipe.write)
                self.input = pipe.write
                pendingInput = bytes
            }
            self.output = try wire(output)
            self.error = try wire(error)
        } catch {
            closeAll()
            throw error
        }
        // Reserved up front so that small outputs (a key from SOPS_AGE_KEY_CMD) are never
        // copied by growth, which would leave copies behind in freed memory.
        if self.output != nil { collectedOutput.reserveCapacity(Self.chunk) }
        if self.error != nil { collectedError.reserveCapacity(Self.chunk) }
    }

    private mutating func wire(_ output: ChildProcess.Output) throws(PosixSpawn.Failure) -> Int32? {
        switch output {
        case .discarded:
            childDescriptors.append(.nullDevice(writable: true))
            return nil
        case .inherited:
            childDescriptors.append(.inherited)
            return nil
        case .captured:
            let pipe = try Self.makePipe()
            childEnds.append(pipe.write)
            childDescriptors.append(.pipe(pipe.write))
            Self.nonBlocking(pipe.read)
            return pipe.read
        }
    }

    /// Writes input and reads output until every pipe is closed (true) or `deadline` passes
    /// (false).
    mutating func pump(until deadline: ContinuousClock.Instant?) throws(PosixSpawn.Failure) -> Bool {
        if input != nil, inputOffset == pendingInput.count { closeInput() }
        var buffer = [UInt8](repeating: 0, count: Self.chunk)
        defer { Self.zero(&buffer) }
        while input != nil || output != nil || error != nil {
            var waiting: [pollfd] = []
            if let input { waiting.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
            for descriptor in [output, error].compactMap({ $0 }) {
                waiting.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0))
            }
            let timeout = Self.milliseconds(until: deadline)
            if timeout == 0 { return false }
            let ready = poll(&waiting, nfds_t(waiting.count), timeout)
            if ready == -1 {
                if errno == EINTR { continue }
                throw .call("poll", errno: errno)
            }
            for entry in waiting where entry.revents != 0 {
                if entry.fd == input { writeInput() } else { readChunk(entry.fd, into: &buffer) }
            }
        }
        return true
    }

    /// Keeps what can be read without waiting, then closes every pipe.
    mutating func drainAndClose() {
        var buffer = [UInt8](repeating: 0, count: Self.chunk)
        defer { Self.zero(&buffer) }
        for descriptor in [output, error].compactMap({ $0 }) {
            while output == descriptor || error == descriptor {
                guard readChunk(descriptor, into: &buffer) else { break }
            }
        }
        closeAll()
    }

    /// Closes the child's ends, which it has its own copies of once it is started.
    mutating func closeChildEnds() {
        childEnds.forEach { close($0) }
        childEnds = []
    }

    /// Closes every descriptor still open; safe to call more than once.
    mutating func closeAll() {
        closeChildEnds()
        closeInput()
        for descriptor in [output, error].compactMap({ $0 }) { close(descriptor) }
        output = nil
        error = nil
    }

    /// Reads once from `descriptor` into its collection; false when nothing more is there now.
    @discardableResult
    private mutating func readChunk(_ descriptor: Int32, into buffer: inout [UInt8]) -> Bool {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            if descriptor == output { collectedOutput += buffer[0..<count] } else { collectedError += buffer[0..<count] }
            return true
        }
        if count == -1, errno == EINTR { return true }
        if count == -1, errno == EAGAIN || errno == EWOULDBLOCK { return false }
        // EOF, or an error that ends the stream all the same.
        close(descriptor)
        if descriptor == output { output = nil } else { error = nil }
        return false
    }

    private mutating func writeInput() {
        guard let input else { return }
        let remaining = min(pendingInput.count - inputOffset, Self.chunk)
        let written = pendingInput.withUnsafeBytes { bytes in
            write(input, bytes.baseAddress.map { $0 + inputOffset }, remaining)
        }
        if written > 0 { inputOffset += written }
        let retry = written == -1 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
        // EPIPE: the child closed its input early, which is its right.
        if inputOffset == pendingInput.count || (written <= 0 && !retry) { closeInput() }
    }

    private mutating func closeInput() {
        if let input { close(input) }
        input = nil
        Self.zero(&pendingInput)
        pendingInput = []
        inputOffset = 0
    }

    /// A pipe with both ends close-on-exec from the start (no other thread's spawn can catch
    /// them open), above 2 so duplicating one onto 0, 1 or 2 never meets itself, and our end
    /// non-blocking for the poll loop.
    private static func makePipe() throws(PosixSpawn.Failure) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        #if canImport(Glibc)
        let made = GNUFunctions.pipe2.map { $0(&ends, O_CLOEXEC) } ?? pipe(&ends)
        #else
        let made = pipe(&ends)
        #endif
        guard made == 0 else { throw .call("pipe", errno: errno) }
        for index in ends.indices {
            _ = fcntl(ends[index], F_SETFD, FD_CLOEXEC)
            if ends[index] <= 2 {
                let moved = fcntl(ends[index], F_DUPFD_CLOEXEC, 3)
                close(ends[index])
                ends[index] = moved
            }
        }
        guard ends[0] >= 0, ends[1] >= 0 else {
            ends.filter { $0 >= 0 }.forEach { close($0) }
            throw .call("fcntl", errno: errno)
        }
        #if canImport(Darwin)
        _ = fcntl(ends[1], F_SETNOSIGPIPE, 1)
        #endif
        return (ends[0], ends[1])
    }

    /// O_NONBLOCK on our end only: the child's end is another open file description.
    private static func nonBlocking(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    /// poll's timeout: -1 without a deadline, 0 once it has passed, else rounded up.
    private static func milliseconds(until deadline: ContinuousClock.Instant?) -> Int32 {
        guard let deadline else { return -1 }
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        let milliseconds = seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(1, milliseconds))
    }

    private static func zero(_ bytes: inout [UInt8]) {
        Sodium.zero(&bytes)
    }
}
