/// The age payload: STREAM over ChaCha20-Poly1305 in 64 KiB chunks. Each chunk's nonce is an
/// 11-byte big-endian counter and a flag byte that is 1 only on the last chunk, so dropping,
/// reordering or truncating chunks fails authentication. [age: internal/stream/stream.go]
///
/// Both loops work on two preallocated buffers of many chunks: large reads and writes, no
/// per-chunk allocation, and the chunks of a batch sealed or opened on all cores.
enum AgePayload {
    static let chunkSize = 64 * 1024
    static let sealedChunkSize = chunkSize + Sodium.aeadTagSize
    static let nonceSize = 16
    private static let chunksPerBatch = 16

    /// `HKDF(file key, salt = payload nonce, "payload")`.
    static func key(fileKey: SecretBytes, nonce: [UInt8]) -> SecretBytes {
        HKDF.sha256(secret: .secret(fileKey), salt: nonce, info: "payload")
    }

    static func encrypt(key: SecretBytes, from source: ByteSource, to sink: ByteSink) throws {
        // The first batch holds one chunk and one byte more, enough to tell whether the input
        // ends with that chunk: most age files (and every SOPS data key) fit in it. Zeroing two
        // full-batch buffers (2 MiB, then wiping the input) was a quarter of the CPU time of
        // encrypting 200 bytes. Later batches use the full size.
        var input = [UInt8](repeating: 0, count: chunkSize + 1)
        var output = [UInt8](repeating: 0, count: 2 * sealedChunkSize)
        defer { Sodium.zero(&input) }
        var jobs: [PayloadCipher.Job] = []
        jobs.reserveCapacity(chunksPerBatch)
        var filled = 0
        var atEnd = false
        var counter: UInt64 = 0
        while true {
            if !atEnd { (filled, atEnd) = try source.fill(&input, from: filled) }
            jobs.removeAll(keepingCapacity: true)
            var offset = 0
            var produced = 0
            var done = false
            // The last chunk is only known once the input has ended, so until then one chunk
            // is always held back. A non-empty input never ends with an empty chunk.
            while atEnd || filled - offset > chunkSize {
                let remaining = filled - offset
                let final = atEnd && remaining <= chunkSize
                let length = min(chunkSize, remaining)
                jobs.append(.init(inputOffset: offset, length: length, outputOffset: produced, counter: counter, final: final))
                offset += length
                produced += length + Sodium.aeadTagSize
                counter += 1
                if final { done = true; break }
            }
            try PayloadCipher.seal(key: key, jobs: jobs, input: input, output: &output)
            try sink.write(output, 0..<produced)
            if done { return }
            moveToFront(&input, from: offset..<filled)
            filled -= offset
            if input.count < chunksPerBatch * chunkSize {
                input += [UInt8](repeating: 0, count: chunksPerBatch * chunkSize - input.count)
                output = [UInt8](repeating: 0, count: chunksPerBatch * sealedChunkSize)
            }
        }
    }

    /// Writes each batch of chunks as soon as it verifies; on failure everything that verified
    /// before it has been written and nothing after it (age's behaviour, which `-o` hides by
    /// writing to a temp file). A final chunk followed by trailing data is released before
    /// the error, as age does.
    static func decrypt(key: SecretBytes, from source: ByteSource, to sink: ByteSink) throws {
        // The first batch is one chunk: most age files (and every SOPS data key) fit in it, and
        // 2 MiB of zeroed buffers per file dominated `decrypt -r` of a thousand Secrets.
        var input = [UInt8](repeating: 0, count: sealedChunkSize)
        var output = [UInt8](repeating: 0, count: chunkSize)
        defer { Sodium.zero(&output) }
        var jobs: [PayloadCipher.Job] = []
        jobs.reserveCapacity(chunksPerBatch)
        var filled = 0
        var atEnd = false
        var counter: UInt64 = 0
        while true {
            if !atEnd { (filled, atEnd) = try source.fill(&input, from: filled) }
            // Full chunks are tried as non-final first; only a short read makes a chunk final.
            jobs.removeAll(keepingCapacity: true)
            var offset = 0
            while filled - offset >= sealedChunkSize {
                jobs.append(.init(inputOffset: offset, length: sealedChunkSize, outputOffset: jobs.count * chunkSize,
                                  counter: counter + UInt64(jobs.count), final: false))
                offset += sealedChunkSize
            }
            let shortTail = atEnd && filled - offset > 0
            if shortTail {
                jobs.append(.init(inputOffset: offset, length: filled - offset, outputOffset: jobs.count * chunkSize,
                                  counter: counter + UInt64(jobs.count), final: true))
            }
            let opened = PayloadCipher.open(key: key, jobs: jobs, input: input, output: &output)

            var produced = 0
            func fail(_ reason: String) throws -> Never {
                try sink.write(output, 0..<produced)
                throw CryptoError.payload(reason)
            }
            // Chunks are numbered from 1 in messages, so a user can find the damage.
            for (index, job) in jobs.enumerated() {
                var final = job.final
                if job.final && job.length == Sodium.aeadTagSize && job.counter > 0 { try fail("last chunk is empty") }
                if !opened[index] {
                    guard !job.final else { try fail("failed to decrypt and authenticate payload chunk \(job.counter + 1)") }
                    // A full chunk may still be the last one.
                    var retry = job
                    retry.final = true
                    guard PayloadCipher.open(key: key, jobs: [retry], input: input, output: &output)[0] else {
                        try fail("failed to decrypt and authenticate payload chunk \(job.counter + 1)")
                    }
                    final = true
                }
                produced += job.length - Sodium.aeadTagSize
                guard job.counter < UInt64.max else { try fail("too many chunks") }
                if final {
                    if job.inputOffset + job.length < filled { try fail("trailing data after end of encrypted file") }
                    if !atEnd {
                        var probe = [UInt8](repeating: 0, count: 1)
                        if try source.read(into: &probe, at: 0, count: 1) > 0 { try fail("trailing data after end of encrypted file") }
                    }
                    try sink.write(output, 0..<produced)
                    return
                }
            }
            if atEnd {
                // Every chunk so far was full and non-final: the stream was cut short.
                try fail(counter == 0 && jobs.isEmpty ? "no payload chunks (truncated file)" : "missing final chunk (truncated file)")
            }
            counter += UInt64(jobs.count)
            try sink.write(output, 0..<produced)
            moveToFront(&input, from: offset..<filled)
            filled -= offset
            if input.count < chunksPerBatch * sealedChunkSize {
                input += [UInt8](repeating: 0, count: chunksPerBatch * sealedChunkSize - input.count)
                Sodium.zero(&output)
                output = [UInt8](repeating: 0, count: chunksPerBatch * chunkSize)
            }
        }
    }
}
