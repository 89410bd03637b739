import Foundation

/// What to bootstrap: the checkout, the files' settings, the key, and the cluster (if any).
public struct BootstrapRequest: Sendable {
    /// A directory inside the checkout.
    public var repository: URL
    public var namespace = "flux-system"
    /// The cluster path, e.g. `clusters/production`.
    public var path: String
    /// The URL the GitRepository pulls from; nil: the checkout's `origin` remote.
    public var url: String?
    public var branch = "main"
    public var interval = FluxDuration(milliseconds: 60_000)
    /// Install manifests for `gotk-components.yaml` (`flux install --export`); nil keeps the
    /// committed file or writes the namespace-only stand-in.
    public var componentsFile: String?
    public var key: BootstrapAgeKey.Source
    /// The cluster to apply to; nil (`--no-apply`) touches only the repository.
    public var cluster: KubeconfigSource?
    /// How the cluster is talked to (the executable sets where the server's warnings go).
    public var transportOptions = TransportOptions()
    public var author: GitSignature?
    public var push = false
    /// An SSH private key: the Git credentials Secret for Flux and the key `--push` uses.
    public var privateKeyFile: String?
    /// The Git host's keys for an SSH URL; nil scans them with `ssh-keyscan`.
    public var knownHostsFile: String?
    /// Replace a `sops-age` Secret that holds a different identity.
    public var force = false
    public var timeout: Double = 300

    public init(repository: URL, path: String, key: BootstrapAgeKey.Source) {
        self.repository = repository
        self.path = path
        self.key = key
    }
}

/// What a bootstrap did.
public struct BootstrapResult: Sendable, Equatable {
    /// Commit ids, oldest first; empty when the repository was already up to date.
    public var commits: [String]
    public var keyPath: String
    public var keyWasGenerated: Bool
    public var recipient: String
    /// False when neither the repository nor the cluster changed.
    public var changed: Bool
}

/// `gitopsctl bootstrap`: flux bootstrap's repository and cluster steps, plus SOPS decryption
/// with an age key, in an order that leaves nothing half done: every check (key, dirty files,
/// cluster reachable, sync path, existing Secret) runs before the first write.
public struct BootstrapWorkflow: Sendable {
    public var report: @Sendable (BootstrapEvent) -> Void

    public init(report: @escaping @Sendable (BootstrapEvent) -> Void = { _ in }) {
        self.report = report
    }

    public func run(_ request: BootstrapRequest) async throws(BootstrapError) -> BootstrapResult {
        let repository = try Self.open(request.repository)
        var url = request.url
        if url == nil { url = try Self.originURL(repository) }
        let manifests = BootstrapManifests(namespace: request.namespace, path: request.path, url: url ?? "",
                                           branch: request.branch, interval: request.interval)
        let key = try BootstrapAgeKey.load(request.key)
        if key.wasGenerated { report(.success("generated age identity \(key.path)")) }
        try key.checkNotCommitted(in: repository)
        let plan = try BootstrapRepoPlan.make(root: repository.workTree, manifests: manifests,
                                              componentsFile: request.componentsFile, recipient: key.recipient)
        try Self.checkClean(repository, paths: BootstrapRepoPlan.ownedPaths(manifests))
        var sourceKey: [UInt8]?
        if let file = request.privateKeyFile { sourceKey = try Self.readSourceKey(file) }
        defer { sourceKey?.withUnsafeMutableBytes { Sodium.zero($0) } }
        var knownHosts: [UInt8]?
        if sourceKey != nil, request.cluster != nil, let endpoint = BootstrapKnownHosts.Endpoint(url: manifests.url) {
            if let file = request.knownHostsFile {
                knownHosts = try BootstrapKnownHosts.load(file: file, for: endpoint)
            } else {
                report(.action("scanning the SSH host key of \(endpoint.knownHostsName)"))
                knownHosts = try BootstrapKnownHosts.scan(endpoint)
            }
        }

        var cluster: (BootstrapCluster, BootstrapCluster.State)?
        if let source = request.cluster {
            let target = BootstrapCluster(client: try Self.client(source, request.transportOptions), manifests: manifests,
                                          timeout: request.timeout, report: report)
            cluster = (target, try await target.preflight(key: key, force: request.force,
                                                         definesSyncKinds: plan.definesSyncKinds))
        }

        let commits = try commit(plan, manifests: manifests, repository: repository, author: request.author)
        if request.push { try push(repository, privateKeyFile: request.privateKeyFile) }
        if let declaration = plan.namespaceDeclaredBy, plan.componentsDeclareNamespace {
            report(.warning("Namespace/\(manifests.namespace) is declared both in \(manifests.componentsFile) and in "
                            + "\(declaration): two Kustomizations apply it (gitopsctl validate reports it); "
                            + "remove it from one of them"))
        }
        if !plan.installsControllers {
            report(.warning("no Flux controllers in \(manifests.componentsFile): nothing will reconcile "
                            + "the cluster; pass --components-file or use gitopsctl reconcile ks --local"))
        }

        var clusterChanged = false
        if let (target, state) = cluster {
            let objects = try Self.build(manifests, root: repository.workTree)
            let publicKey = request.privateKeyFile.flatMap { FileManager.default.contents(atPath: $0 + ".pub") }.map(Array.init)
            clusterChanged = try await target.apply(objects, state: state, key: key, sourceKey: sourceKey,
                                                    sourceKeyPublic: publicKey, knownHosts: knownHosts,
                                                    installsControllers: plan.installsControllers,
                                                    expectedRevision: Self.revision(repository, branch: request.branch))
        }
        let changed = !commits.isEmpty || clusterChanged || key.wasGenerated
        if !changed { report(.success("already bootstrapped")) }
        return BootstrapResult(commits: commits, keyPath: key.path, keyWasGenerated: key.wasGenerated,
                               recipient: key.recipient, changed: changed)
    }

    /// Writes and commits the plan in flux's two commits: components, then the sync files.
    private func commit(_ plan: BootstrapRepoPlan, manifests: BootstrapManifests, repository: GitRepository,
                        author: GitSignature?) throws(BootstrapError) -> [String] {
        let files = RepoFiles(root: repository.workTree)
        let branch = (try? repository.head().branch) ?? "HEAD"
        var commits: [String] = []
        report(.action("generating component manifests"))
        if let components = plan.components {
            try files.write(components)
            report(.success("generated component manifests"))
            if let declaration = plan.namespaceDeclaredBy, !plan.componentsDeclareNamespace {
                report(.success("left Namespace/\(manifests.namespace) out of the component manifests: "
                                + "the repository declares it in \(declaration)"))
            }
            let message = plan.componentsVersion.map { "Add Flux \($0) component manifests" } ?? "Add Flux component manifests"
            let id = try Self.git { () throws(GitError) in try repository.commit([components.path], message: message, author: author) }
            report(.success("committed component manifests to \"\(branch)\" (\"\(id)\")"))
            commits.append(id)
        } else {
            report(.success("component manifests are up to date"))
        }
        report(.action("generating sync manifests"))
        guard !plan.sync.isEmpty else {
            report(.success("sync manifests are up to date"))
            return commits
        }
        for file in plan.sync { try files.write(file) }
        report(.success("generated sync manifests"))
        let id = try Self.git { () throws(GitError) in
            try repository.commit(plan.sync.map(\.path), message: "Add Flux sync manifests", author: author)
        }
        report(.success("committed sync manifests to \"\(branch)\" (\"\(id)\")"))
        commits.append(id)
        return commits
    }

    private func push(_ repository: GitRepository, privateKeyFile: String?) throws(BootstrapError) {
        let url = (try? repository.remoteURL()) ?? nil
        report(.action("pushing to \"\(url ?? "origin")\""))
        do {
            try repository.push(credentials: privateKeyFile.map { .sshKeyFile(path: $0) } ?? .sshAgent)
        } catch {
            throw .push(reason: error.description, hint: error.hint)
        }
        report(.success("pushed"))
    }

    private static func open(_ directory: URL) throws(BootstrapError) -> GitRepository {
        do {
            return try GitRepository.discover(from: directory)
        } catch {
            if case .notARepository = error { throw .notAGitRepository(path: directory.path) }
            throw .git(reason: error.description)
        }
    }

    /// What source-controller will report for HEAD: `branch@sha1:commit`, as flux expects it.
    private static func revision(_ repository: GitRepository, branch: String) -> String? {
        guard let commit = try? repository.head().commit else { return nil }
        return "\(branch)@sha1:\(commit)"
    }

    private static func originURL(_ repository: GitRepository) throws(BootstrapError) -> String {
        guard let url = try git({ () throws(GitError) in try repository.remoteURL() }) else { throw .noURL }
        return url
    }

    private static func checkClean(_ repository: GitRepository, paths: [String]) throws(BootstrapError) {
        let dirty = try git { () throws(GitError) in try repository.status(of: paths) }
        guard dirty.isEmpty else { throw .dirtyPaths(dirty.map(\.path)) }
    }

    private static func readSourceKey(_ path: String) throws(BootstrapError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .keyFile(path: path, line: 0, reason: "cannot read the private key file")
        }
        return Array(data)
    }

    private static func client(_ source: KubeconfigSource, _ options: TransportOptions) throws(BootstrapError) -> KubeClient {
        do {
            return KubeClient(transport: try KubeTransport(config: try source.resolve(), options: options))
        } catch {
            throw BootstrapCluster.translate(error)
        }
    }

    /// The objects flux applies: a build of `<path>/flux-system`, so committed patches (the
    /// decryption stanza) reach the cluster too.
    private static func build(_ manifests: BootstrapManifests, root: URL) throws(BootstrapError) -> [KubeObject] {
        do {
            let directory = root.appendingPathComponent(manifests.directory).path
            return try KustomizeBuilder(root: root.path).build(directory).objects.map { KubeObject(KubeJSON(yaml: $0)) }
        } catch {
            throw .unparsableFile("\(error)")
        }
    }

    private static func git<T>(_ body: () throws(GitError) -> T) throws(BootstrapError) -> T {
        do {
            return try body()
        } catch {
            throw .git(reason: error.description)
        }
    }
}
