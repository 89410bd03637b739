internal import CCrypto
import Foundation

/// The STREAM hot loop: ChaCha20-Poly1305 over whole batches of 64 KiB chunks.
///
/// This one loop runs on OpenSSL's libcrypto rather than libsodium: libcrypto 3.0 has AVX2 and
/// AVX-512 ChaCha20 and Poly1305 code and seals 64 KiB chunks about 2.5× faster than
/// libsodium 1.0.18 on the same CPU (2.7 GB/s against 1.06 GB/s, `openssl speed` and a
/// libsodium loop), which is what it takes to keep up with age's Go assembly. Same
/// construction, same bytes; key and nonce handling stay as age defines them.
/// Chunks are independent, so a batch is split across cores, one cipher context per thread.
/// Payloads of a few chunks (SOPS data keys, typical secrets) go through libsodium instead:
/// OpenSSL's provider start-up costs about a millisecond, more than such a payload takes.
enum PayloadCipher {
    /// One chunk of a batch: where its input and output lie, and its nonce.
    struct Job: Sendable {
        var inputOffset: Int
        /// Plaintext length when sealing; ciphertext ‖ tag length when opening.
        var length: Int
        var outputOffset: Int
        var counter: UInt64
        var final: Bool
    }

    static let tagSize = 16

    /// Seals each job's input into `output` (ciphertext, then the 16-byte tag).
    static func seal(key: SecretBytes, jobs: [Job], input: [UInt8], output: inout [UInt8]) throws(CryptoError) {
        let ok = run(key: key, jobs: jobs, input: input, output: &output, sealing: true)
        guard ok.allSatisfy({ $0 }) else { throw .invalidKey("ChaCha20-Poly1305 context") }
    }

    /// Opens each job's input into `output`; the result says which chunks authenticated. The
    /// output of a chunk that failed is garbage and must not be released.
    static func open(key: SecretBytes, jobs: [Job], input: [UInt8], output: inout [UInt8]) -> [Bool] {
        run(key: key, jobs: jobs, input: input, output: &output, sealing: false)
    }

    private static func run(key: SecretBytes, jobs: [Job], input: [UInt8], output: inout [UInt8], sealing: Bool) -> [Bool] {
        // Without libcrypto (opened on first use), libsodium does the whole batch, slower.
        guard jobs.count >= smallBatch, let api = try? LibCrypto.api() else {
            return runSmall(key: key, jobs: jobs, input: input, output: &output, sealing: sealing)
        }
        var results = [Bool](repeating: false, count: jobs.count)
        key.withUnsafeBytes { k in
            input.withUnsafeBytes { i in
                output.withUnsafeMutableBytes { o in
                    results.withUnsafeMutableBufferPointer { r in
                        // Addresses cross into worker threads as integers (pointers are not
                        // Sendable); every buffer outlives the loop, which is synchronous.
                        let addresses = Addresses(key: k.baseAddress!, input: i.baseAddress!, output: o.baseAddress!,
                                                  results: r.baseAddress!)
                        forEachStripe(jobs.count) { stripe, stripes in
                            guard let context = api.EVP_CIPHER_CTX_new() else { return }
                            defer { api.EVP_CIPHER_CTX_free(context) }
                            guard initialize(api, context, key: addresses.key, sealing: sealing) else { return }
                            var index = stripe
                            while index < jobs.count {
                                addresses.results[index] = process(api, context, jobs[index], addresses, sealing: sealing)
                                index += stripes
                            }
                        }
                    }
                }
            }
        }
        return results
    }

    private static let smallBatch = 4

    private static func runSmall(key: SecretBytes, jobs: [Job], input: [UInt8], output: inout [UInt8], sealing: Bool) -> [Bool] {
        var nonce = [UInt8](repeating: 0, count: 12)
        return jobs.map { job in
            for i in 0..<8 { nonce[3 + i] = UInt8(truncatingIfNeeded: job.counter >> UInt64(56 - 8 * i)) }
            nonce[11] = job.final ? 1 : 0
            let range = job.inputOffset..<job.inputOffset + job.length
            if sealing {
                Sodium.sealDetached(key: key, nonce: nonce, input: input, inputRange: range, output: &output, outputOffset: job.outputOffset)
                return true
            }
            return Sodium.openDetached(key: key, nonce: nonce, input: input, inputRange: range, output: &output, outputOffset: job.outputOffset)
        }
    }

    private static func initialize(_ api: ccrypto_api, _ context: OpaquePointer, key: UnsafePointer<UInt8>, sealing: Bool) -> Bool {
        sealing
            ? api.EVP_EncryptInit_ex(context, api.EVP_chacha20_poly1305(), nil, key, nil) == 1
            : api.EVP_DecryptInit_ex(context, api.EVP_chacha20_poly1305(), nil, key, nil) == 1
    }

    private static func process(_ api: ccrypto_api, _ context: OpaquePointer, _ job: Job, _ a: Addresses, sealing: Bool) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 12) { nonce in
            // 11-byte big-endian counter, then the last-chunk flag. [age: internal/stream]
            nonce.initialize(repeating: 0)
            for i in 0..<8 { nonce[3 + i] = UInt8(truncatingIfNeeded: job.counter >> UInt64(56 - 8 * i)) }
            nonce[11] = job.final ? 1 : 0
            let iv = UnsafePointer(nonce.baseAddress!)
            let input = a.input + job.inputOffset, output = a.output + job.outputOffset
            var written: Int32 = 0, finalWritten: Int32 = 0
            if sealing {
                return api.EVP_EncryptInit_ex(context, nil, nil, nil, iv) == 1
                    && api.EVP_EncryptUpdate(context, output, &written, input, Int32(job.length)) == 1
                    && api.EVP_EncryptFinal_ex(context, output + Int(written), &finalWritten) == 1
                    && api.EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(tagSize), output + job.length) == 1
            }
            guard job.length >= tagSize else { return false }
            let textLength = job.length - tagSize
            return api.EVP_DecryptInit_ex(context, nil, nil, nil, iv) == 1
                && api.EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(tagSize),
                                       UnsafeMutableRawPointer(mutating: input + textLength)) == 1
                && api.EVP_DecryptUpdate(context, output, &written, input, Int32(textLength)) == 1
                && api.EVP_DecryptFinal_ex(context, output + Int(written), &finalWritten) == 1
        }
    }

    /// Runs `body(stripe, stripes)` once per stripe, on all cores when there is enough work.
    private static func forEachStripe(_ count: Int, _ body: @escaping @Sendable (Int, Int) -> Void) {
        let stripes = max(1, min(processorCount, count))
        if stripes == 1 { body(0, 1); return }
        DispatchQueue.concurrentPerform(iterations: stripes) { body($0, stripes) }
    }

    private static let processorCount = ProcessInfo.processInfo.activeProcessorCount

    private struct Addresses: Sendable {
        private let keyBits, inputBits, outputBits, resultBits: Int
        init(key: UnsafeRawPointer, input: UnsafeRawPointer, output: UnsafeMutableRawPointer, results: UnsafeMutablePointer<Bool>) {
            keyBits = Int(bitPattern: key); inputBits = Int(bitPattern: input)
            outputBits = Int(bitPattern: output); resultBits = Int(bitPattern: results)
        }
        var key: UnsafePointer<UInt8> { UnsafePointer(bitPattern: keyBits)! }
        var input: UnsafePointer<UInt8> { UnsafePointer(bitPattern: inputBits)! }
        var output: UnsafeMutablePointer<UInt8> { UnsafeMutablePointer(bitPattern: outputBits)! }
        var results: UnsafeMutablePointer<Bool> { UnsafeMutablePointer(bitPattern: resultBits)! }
    }
}
