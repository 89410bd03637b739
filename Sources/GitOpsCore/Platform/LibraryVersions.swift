internal import CYAML
internal import CSodium
internal import CCrypto
internal import CNettle
internal import CGit2
internal import CCurl

/// The C libraries gitopsctl runs on, and their versions, for `version`.
///
/// libyaml and libsodium are linked: their own run-time report is given (it can differ from
/// the headers after a distribution update). libgit2, libcurl, OpenSSL's libcrypto and Nettle are
/// opened only by the commands that need them, and loading them here would cost every
/// `version` call their start-up time, so the version of the headers gitopsctl was built with
/// is given: the libgit2 it loads must have the same major.minor, libcurl keeps its ABI within
/// SONAME 4, libcrypto within its major version and
/// Nettle within SONAME 8 (its major version 3).
public struct LibraryVersion: Sendable, Equatable {
    public var name: String
    public var version: String

    /// Each library's own report of its version, in a fixed order.
    public static func linked() -> [LibraryVersion] {
        [
            LibraryVersion(name: "libyaml", version: string(yaml_get_version_string())),
            LibraryVersion(name: "libsodium", version: string(sodium_version_string())),
            LibraryVersion(name: "libgit2", version: LIBGIT2_VERSION),
            LibraryVersion(name: "libcurl", version: LIBCURL_VERSION),
            LibraryVersion(name: "openssl", version: OPENSSL_VERSION_STR),
            LibraryVersion(name: "nettle", version: "\(NETTLE_VERSION_MAJOR).\(NETTLE_VERSION_MINOR)"),
        ]
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? "unknown"
    }
}
