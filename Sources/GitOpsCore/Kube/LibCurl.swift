internal import CCurl

/// Process-wide libcurl: loaded on first use and globally initialised once.
///
/// libcurl is not linked but opened when a command first talks to a cluster (see
/// CCurl/shim.h), so the commands that never do start without loading it and its dozens of
/// dependencies, and a machine without it gets a clear error instead of a loader failure.
enum LibCurl {
    /// The resolved entry points with `curl_global_init` run, or why that failed. libcurl
    /// documents `curl_global_init` as not thread-safe; a global `let` initialiser runs
    /// exactly once, thread-safely.
    private static let loaded: Result<ccurl_api, CurlFailure> = load()

    /// libcurl's functions; the first call loads and initialises the library.
    static func api() throws(CurlFailure) -> ccurl_api {
        try loaded.get()
    }

    #if os(macOS)
    private static let installHint = "brew install curl"
    #else
    private static let installHint = "apt-get install libcurl4"
    #endif

    /// The files tried, in order: libcurl has kept its ABI under SONAME 4 since 2006. Debian's
    /// GnuTLS flavour (libcurl-gnutls.so.4) is not tried: it takes no CA or client
    /// certificate from memory, which kubeconfig `*-data` fields need.
    #if os(macOS)
    static let candidates = ["libcurl.4.dylib", "/usr/lib/libcurl.4.dylib", "libcurl.dylib"]
    #else
    static let candidates = ["libcurl.so.4", "libcurl.so"]
    #endif

    static func load(from candidates: [String] = candidates) -> Result<ccurl_api, CurlFailure> {
        let api: ccurl_api
        switch SharedLibrary.load(candidates, open: { ccurl_open($0, $1, $2, $3) }) {
        case .success(let table):
            api = table
        case .failure(let failure):
            return .failure(CurlFailure(kind: .other, message:
                "libcurl could not be loaded (\(failure.reason)); install it: \(installHint)"))
        }
        guard api.global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK else {
            return .failure(CurlFailure(kind: .other, message: "libcurl could not be initialised"))
        }
        return .success(api)
    }
}
