internal import CYAML
internal import CSodium
internal import CCrypto
internal import CGit2
internal import CCurl

/// The C libraries gitopsctl is linked with, and the versions loaded at run time (which can
/// differ from the headers it was built against after a distribution update), for `version`.
public struct LibraryVersion: Sendable, Equatable {
    public var name: String
    public var version: String

    /// Each library's own report of its version, in a fixed order.
    public static func linked() -> [LibraryVersion] {
        [
            LibraryVersion(name: "libyaml", version: string(yaml_get_version_string())),
            LibraryVersion(name: "libsodium", version: string(sodium_version_string())),
            LibraryVersion(name: "libgit2", version: libgit2()),
            // "libcurl/7.88.1 OpenSSL/3.0.22 zlib/…": the first word is curl's own.
            LibraryVersion(name: "libcurl", version: secondField(string(curl_version()), separator: "/")),
            // "OpenSSL 3.0.22 1 Jul 2025"
            LibraryVersion(name: "openssl", version: secondField(string(OpenSSL_version(OPENSSL_VERSION)), separator: " ")),
        ]
    }

    private static func libgit2() -> String {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        guard git_libgit2_version(&major, &minor, &revision) == 0 else { return "unknown" }
        return "\(major).\(minor).\(revision)"
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? "unknown"
    }

    private static func secondField(_ text: String, separator: Character) -> String {
        let first = text.split(separator: " ").first ?? ""
        let source = separator == "/" ? first : Substring(text)
        let parts = source.split(separator: separator)
        return parts.count > 1 ? String(parts[1]) : "unknown"
    }
}
