internal import CNettle

/// Process-wide Nettle, opened on first use (see CNettle/shim.h): only SOPS values need it.
enum LibNettle {
    /// The resolved entry points, or why none could be found. A global `let` initialiser runs
    /// exactly once, thread-safely.
    private static let loaded: Result<cnettle_api, SopsError> = load()

    /// Nettle's functions; the first call opens the library.
    static func api() throws(SopsError) -> cnettle_api {
        try loaded.get()
    }

    #if os(macOS)
    static let candidates = ["libnettle.8.dylib", "/opt/homebrew/opt/nettle/lib/libnettle.8.dylib",
                             "/usr/local/opt/nettle/lib/libnettle.8.dylib"]
    private static let installHint = "brew install nettle"
    #else
    static let candidates = ["libnettle.so.8"]
    private static let installHint = "apt-get install libnettle8"
    #endif

    static func load(from candidates: [String] = candidates) -> Result<cnettle_api, SopsError> {
        switch SharedLibrary.load(candidates, open: { cnettle_open($0, $1, $2, $3) }) {
        case .success(let api):
            return .success(api)
        case .failure(let failure):
            return .failure(.cryptoLibraryUnavailable("\(failure.reason); install it: \(installHint)"))
        }
    }
}
