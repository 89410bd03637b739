import Foundation

/// The `known_hosts` entry of the Git credentials Secret. source-controller refuses an SSH
/// source without one, so `flux bootstrap` scans the Git host's key; we take the user's file
/// (`--known-hosts`) or scan with `ssh-keyscan`, before anything is committed.
struct BootstrapKnownHosts {
    /// The SSH endpoint of a Git URL: `ssh://[user@]host[:port]/path` or scp-like
    /// `user@host:path`; nil for http(s) URLs, which need no host key.
    struct Endpoint: Equatable {
        var host: String
        var port: Int

        init?(url: String) {
            if url.hasPrefix("ssh://") {
                guard let parsed = URLComponents(string: url), let host = parsed.host, !host.isEmpty else { return nil }
                self.host = host
                port = parsed.port ?? 22
                return
            }
            guard !url.contains("://"), let colon = url.firstIndex(of: ":") else { return nil }
            let authority = url[..<colon]
            let host = authority.split(separator: "@").last.map(String.init) ?? ""
            guard !host.isEmpty, !host.contains("/") else { return nil }
            self.host = host
            port = 22
        }

        /// How ssh names the host in known_hosts: bare on port 22, `[host]:port` elsewhere.
        var knownHostsName: String { port == 22 ? host : "[\(host)]:\(port)" }
    }

    /// Reads a known_hosts file and keeps the lines for `endpoint` (all lines if none name it
    /// plainly, since hashed `|1|…` entries cannot be matched without the salt).
    static func load(file: String, for endpoint: Endpoint) throws(BootstrapError) -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try FileBytes.read(atPath: file) } catch {
            throw .knownHosts(host: endpoint.knownHostsName, reason: "cannot read \(file): \(error.reason)")
        }
        let lines = entries(String(decoding: bytes, as: UTF8.self))
        guard !lines.isEmpty else {
            throw .knownHosts(host: endpoint.knownHostsName, reason: "\(file) has no host key lines")
        }
        let named = lines.filter { line in
            line.split(separator: " ").first.map { $0.split(separator: ",").contains { $0 == endpoint.knownHostsName } } ?? false
        }
        return Array(((named.isEmpty ? lines : named).joined(separator: "\n") + "\n").utf8)
    }

    /// Asks the host for its keys with `ssh-keyscan`, as `flux bootstrap` does with Go's ssh.
    static func scan(_ endpoint: Endpoint, timeout: Int = 10) throws(BootstrapError) -> [UInt8] {
        var keyscan = ChildProcess(program: "ssh-keyscan",
                                   arguments: ["-T", String(timeout), "-p", String(endpoint.port), endpoint.host])
        keyscan.standardError = .discarded
        let result: ChildProcessResult
        do { result = try keyscan.run() } catch {
            if case .programNotFound = error {
                throw .knownHosts(host: endpoint.knownHostsName, reason: "ssh-keyscan is not installed (package openssh-client)")
            }
            throw .knownHosts(host: endpoint.knownHostsName, reason: error.description)
        }
        let data = result.standardOutput
        let lines = entries(String(decoding: data, as: UTF8.self))
        guard !lines.isEmpty else {
            throw .knownHosts(host: endpoint.knownHostsName, reason: "ssh-keyscan got no host key from \(endpoint.host) port \(endpoint.port)")
        }
        // ssh-keyscan answers in arrival order; sorted, a re-run finds the Secret up to date.
        return Array((lines.sorted().joined(separator: "\n") + "\n").utf8)
    }

    /// The key lines of a known_hosts text: `names algorithm base64`, comments and blanks dropped.
    static func entries(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { line in
            !line.isEmpty && !line.hasPrefix("#") && line.split(separator: " ").count >= 3
        }
    }
}
