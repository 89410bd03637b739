/// The age payload: STREAM over ChaCha20-Poly1305 in 64 KiB chunks. Each chunk's nonce is an
/// 11-byte big-endian counter and a flag byte that is 1 only on the last chunk, so dropping,
/// reordering or truncating chunks fails authentication. [age: internal/stream/stream.go]
///
/// Both loops work on two preallocated buffers of many chunks: large reads and writes, no
/// per-chunk allocation.
enum AgePayload {
    static let chunkSize = 64 * 1024
    static let sealedChunkSize = chunkSize + Sodium.aeadTagSize
    static let nonceSize = 16
    private static let chunksPerBatch = 64

    /// `HKDF(file key, salt = payload nonce, "payload")`.
    static func key(fileKey: SecretBytes, nonce: [UInt8]) -> SecretBytes {
        HKDF.sha256(secret: .secret(fileKey), salt: nonce, info: "payload")
    }

    private static func setNonce(_ nonce: inout [UInt8], counter: UInt64, final: Bool) {
        for i in 0..<8 { nonce[3 + i] = UInt8(truncatingIfNeeded: counter >> UInt64(56 - 8 * i)) }
        nonce[11] = final ? 1 : 0
    }

    static func encrypt(key: SecretBytes, from source: ByteSource, to sink: ByteSink) throws {
        var input = [UInt8](repeating: 0, count: chunksPerBatch * chunkSize)
        var output = [UInt8](repeating: 0, count: chunksPerBatch * sealedChunkSize)
        var nonce = [UInt8](repeating: 0, count: Sodium.aeadNonceSize)
        defer { Sodium.zero(&input) }
        var filled = 0
        var atEnd = false
        var counter: UInt64 = 0
        while true {
            while filled < input.count && !atEnd {
                let n = try source.read(into: &input, at: filled, count: input.count - filled)
                if n == 0 { atEnd = true } else { filled += n }
            }
            var offset = 0
            var produced = 0
            var done = false
            // The last chunk is only known once the input has ended, so until then one chunk
            // is always held back. A non-empty input never ends with an empty chunk.
            while atEnd || filled - offset > chunkSize {
                let remaining = filled - offset
                let final = atEnd && remaining <= chunkSize
                let length = min(chunkSize, remaining)
                setNonce(&nonce, counter: counter, final: final)
                Sodium.sealChunk(key: key, nonce: nonce, input: input, inputRange: offset..<offset + length,
                                 output: &output, outputOffset: produced)
                offset += length
                produced += length + Sodium.aeadTagSize
                counter += 1
                if final { done = true; break }
            }
            try sink.write(output, 0..<produced)
            if done { return }
            moveToFront(&input, from: offset..<filled)
            filled -= offset
        }
    }

    /// Writes each batch of chunks as soon as it verifies; on failure everything that verified
    /// before it has been written and nothing after it (age's behaviour, which `-o` hides by
    /// writing to a temp file).
    static func decrypt(key: SecretBytes, from source: ByteSource, to sink: ByteSink) throws {
        var input = [UInt8](repeating: 0, count: chunksPerBatch * sealedChunkSize)
        var output = [UInt8](repeating: 0, count: chunksPerBatch * chunkSize)
        var nonce = [UInt8](repeating: 0, count: Sodium.aeadNonceSize)
        defer { Sodium.zero(&output) }
        var filled = 0
        var atEnd = false
        var counter: UInt64 = 0
        while true {
            while filled < input.count && !atEnd {
                let n = try source.read(into: &input, at: filled, count: input.count - filled)
                if n == 0 { atEnd = true } else { filled += n }
            }
            var offset = 0
            var produced = 0
            func fail(_ reason: String) throws -> Never {
                try sink.write(output, 0..<produced)
                throw CryptoError.payload(reason)
            }
            while true {
                let remaining = filled - offset
                var final = false
                if remaining >= sealedChunkSize {
                    let range = offset..<offset + sealedChunkSize
                    setNonce(&nonce, counter: counter, final: false)
                    if !Sodium.openChunk(key: key, nonce: nonce, input: input, inputRange: range, output: &output, outputOffset: produced) {
                        // A full chunk may still be the last one.
                        setNonce(&nonce, counter: counter, final: true)
                        guard Sodium.openChunk(key: key, nonce: nonce, input: input, inputRange: range, output: &output, outputOffset: produced) else {
                            try fail("failed to decrypt and authenticate payload chunk")
                        }
                        final = true
                    }
                    offset += sealedChunkSize
                    produced += chunkSize
                } else if atEnd {
                    if remaining == 0 { try fail(counter == 0 ? "no payload chunks (truncated file)" : "missing final chunk (truncated file)") }
                    if remaining == Sodium.aeadTagSize && counter > 0 { try fail("last chunk is empty") }
                    setNonce(&nonce, counter: counter, final: true)
                    guard Sodium.openChunk(key: key, nonce: nonce, input: input, inputRange: offset..<filled, output: &output, outputOffset: produced) else {
                        try fail("failed to decrypt and authenticate payload chunk")
                    }
                    produced += remaining - Sodium.aeadTagSize
                    offset = filled
                    final = true
                } else {
                    break
                }
                guard counter < UInt64.max else { try fail("too many chunks") }
                counter += 1
                if final {
                    if offset < filled { try fail("trailing data after end of encrypted file") }
                    if !atEnd {
                        var probe = [UInt8](repeating: 0, count: 1)
                        if try source.read(into: &probe, at: 0, count: 1) > 0 { try fail("trailing data after end of encrypted file") }
                    }
                    try sink.write(output, 0..<produced)
                    return
                }
            }
            try sink.write(output, 0..<produced)
            moveToFront(&input, from: offset..<filled)
            filled -= offset
        }
    }
}
