#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where sops finds age identities and recipients, read from an environment so tests and
/// callers can supply their own (getsops/sops age/keysource.go loadIdentities).
public struct SopsKeySources: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String] = SopsKeySources.processEnvironment()) {
        self.environment = environment
    }

    /// The variables sops reads keys and recipients from.
    static let variables = ["SOPS_AGE_SSH_PRIVATE_KEY_FILE", "HOME", "SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE",
                            "SOPS_AGE_KEY_CMD", "XDG_CONFIG_HOME", "SOPS_AGE_RECIPIENTS"]

    /// Those variables of this process, read with getenv: ProcessInfo's singleton and its copy
    /// of the whole environment were 3.5% of a `decrypt`.
    public static func processEnvironment() -> [String: String] {
        var environment: [String: String] = [:]
        for name in variables {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return environment
    }

    /// Every identity sops would try, in sops's order: `SOPS_AGE_SSH_PRIVATE_KEY_FILE` (else
    /// `~/.ssh/id_ed25519`), `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD`, then the
    /// default `keys.txt`. Explicitly named sources must be readable; default locations may be absent.
    public func identities() throws(SopsError) -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        if let file = environment["SOPS_AGE_SSH_PRIVATE_KEY_FILE"], !file.isEmpty {
            identities += try parse(file: file, required: true)
        } else if let home = environment["HOME"] {
            identities += (try? parse(file: home + "/.ssh/id_ed25519", required: false)) ?? []
        }
        if let inline = environment["SOPS_AGE_KEY"], !inline.isEmpty {
            identities += try parse(Array(inline.utf8), source: "SOPS_AGE_KEY")
        }
        if let file = environment["SOPS_AGE_KEY_FILE"], !file.isEmpty {
            identities += try parse(file: file, required: true)
        }
        if let command = environment["SOPS_AGE_KEY_CMD"], !command.isEmpty {
            var output = try run(command)
            defer { Sodium.zero(&output) }
            identities += try parse(output, source: "SOPS_AGE_KEY_CMD")
        }
        if let file = defaultKeysFile {
            identities += try parse(file: file, required: false)
        }
        return identities
    }

    /// `<user config dir>/sops/age/keys.txt`: `$XDG_CONFIG_HOME`, else `~/.config` (Linux) or
    /// `~/Library/Application Support` (macOS), as Go's os.UserConfigDir.
    public var defaultKeysFile: String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/sops/age/keys.txt" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        #if os(macOS)
        return home + "/Library/Application Support/sops/age/keys.txt"
        #else
        return home + "/.config/sops/age/keys.txt"
        #endif
    }

    /// Recipients from `SOPS_AGE_RECIPIENTS` (comma-separated), which act like `--age`.
    public var environmentRecipients: [String] {
        (environment["SOPS_AGE_RECIPIENTS"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private func parse(file: String, required: Bool) throws(SopsError) -> [AgeIdentity] {
        // One buffer, wiped below (a Data copy would keep the key in memory after use).
        var bytes: [UInt8]
        do { bytes = try FileBytes.read(atPath: file) } catch {
            if required { throw .cannotReadFile(path: file, reason: "cannot read the age identity file: \(error.reason)") }
            return []
        }
        defer { Sodium.zero(&bytes) }
        return try parse(bytes, source: file)
    }

    private func parse(_ bytes: [UInt8], source: String) throws(SopsError) -> [AgeIdentity] {
        do {
            return try AgeIdentity.parseIdentityFile(bytes, source: source)
        } catch {
            throw .keys(error.description)
        }
    }

    /// The command's standard output; its standard input and error stay the user's (it may
    /// prompt, as a password manager's CLI does).
    private func run(_ command: String) throws(SopsError) -> [UInt8] {
        var keyCommand = ChildProcess(program: "/bin/sh", arguments: ["-c", command])
        keyCommand.standardInput = .inherited
        keyCommand.standardError = .inherited
        var result: ChildProcessResult
        do { result = try keyCommand.run() } catch {
            throw .keys("SOPS_AGE_KEY_CMD could not be run: \(error.reason)")
        }
        guard result.succeeded else {
            Sodium.zero(&result.standardOutput)
            throw .keys("SOPS_AGE_KEY_CMD failed (\(result.termination))")
        }
        return result.standardOutput
    }
}
