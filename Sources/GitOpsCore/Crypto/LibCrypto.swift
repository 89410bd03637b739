internal import CCrypto
import Foundation

/// Process-wide libcrypto, loaded on first use (see CCrypto/shim.h): only large age payloads
/// need it, so the other commands start without it.
enum LibCrypto {
    /// The resolved entry points, or why none could be found. A global `let` initialiser runs
    /// exactly once, thread-safely.
    private static let loaded: Result<ccrypto_api, CryptoError> = load()

    /// libcrypto's functions; the first call loads the library.
    static func api() throws(CryptoError) -> ccrypto_api {
        try loaded.get()
    }

    #if os(macOS)
    static let candidates = ["libcrypto.3.dylib", "/opt/homebrew/opt/openssl@3/lib/libcrypto.3.dylib",
                             "/usr/local/opt/openssl@3/lib/libcrypto.3.dylib"]
    private static let installHint = "brew install openssl@3"
    #else
    static let candidates = ["libcrypto.so.3"]
    private static let installHint = "apt-get install libssl3"
    #endif

    static func load(from candidates: [String] = candidates) -> Result<ccrypto_api, CryptoError> {
        switch SharedLibrary.load(candidates, open: { ccrypto_open($0, $1, $2, $3) }) {
        case .success(let api):
            return .success(api)
        case .failure(let failure):
            return .failure(.libcryptoUnavailable("\(failure.reason); install it: \(installHint)"))
        }
    }
}
