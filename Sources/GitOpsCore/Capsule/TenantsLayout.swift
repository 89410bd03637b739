import Foundation

/// Where a repository keeps its tenants: the directory whose kustomization.yaml lists one
/// directory per tenant (`tenants/` in the sample repository), the repository root, and the
/// `.sops.yaml` that governs the tenants' secrets.
public struct TenantsLayout: Sendable, Equatable {
    /// The repository root (git work tree, or the directory given with `--repo`).
    public let repositoryRoot: URL
    /// The directory holding kustomization.yaml and one directory per tenant.
    public let directory: URL
    /// The nearest `.sops.yaml` at or above `directory`, up to the repository root (sops
    /// looks upwards from the file it encrypts the same way).
    public let sopsConfig: URL?

    public var kustomizationFile: URL { directory.appendingPathComponent("kustomization.yaml") }

    /// A tenant's directory.
    public func directory(of tenant: String) -> URL { directory.appendingPathComponent(tenant) }

    /// `path` relative to the repository root, as messages, diffs and commits show it.
    public func relativePath(_ url: URL) -> String {
        Self.relative(url, to: repositoryRoot)
    }

    /// Finds the layout: `explicitDirectory` when given; else the first `tenants/` with a
    /// kustomization.yaml in `workingDirectory` or one of its parents up to the repository root
    /// (so `tenant add` works from anywhere inside a checkout, and in a GitOps repository
    /// nested in a larger one such as examples/platform).
    public static func locate(repositoryRoot: URL, workingDirectory: URL,
                              explicitDirectory: URL? = nil) throws(CapsuleError) -> TenantsLayout {
        let root = repositoryRoot.standardizedFileURL
        let candidates: [URL]
        if let explicitDirectory {
            candidates = [explicitDirectory.standardizedFileURL]
        } else {
            candidates = searchDirectories(from: workingDirectory.standardizedFileURL, to: root)
                .map { $0.appendingPathComponent("tenants") }
        }
        for candidate in candidates where isFile(candidate.appendingPathComponent("kustomization.yaml")) {
            return TenantsLayout(repositoryRoot: root, directory: candidate,
                                 sopsConfig: nearestSopsConfig(from: candidate, to: root))
        }
        throw .tenantsLayoutNotFound(searched: candidates.map {
            $0.appendingPathComponent("kustomization.yaml").path
        })
    }

    /// `start` and its parents up to `root` when `start` is inside it, else just `root`.
    static func searchDirectories(from start: URL, to root: URL) -> [URL] {
        guard start.path == root.path || start.path.hasPrefix(root.path + "/") else { return [root] }
        var directories = [start]
        var current = start
        while current.path != root.path, current.path.count > root.path.count {
            current = current.deletingLastPathComponent().standardizedFileURL
            directories.append(current)
        }
        return directories
    }

    static func nearestSopsConfig(from directory: URL, to root: URL) -> URL? {
        searchDirectories(from: directory, to: root)
            .map { $0.appendingPathComponent(".sops.yaml") }
            .first(where: isFile)
    }

    static func isFile(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    static func relative(_ url: URL, to root: URL) -> String {
        let path = url.standardizedFileURL.path
        let base = root.standardizedFileURL.path
        if path == base { return "." }
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }
}
