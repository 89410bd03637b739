import Foundation

extension FluxRepo {
    /// Builds the repository model from `root` (a checkout). Only a cluster path that cannot be
    /// found is fatal; everything else becomes a `problem` and the rest is still loaded.
    public static func load(root: String, options: Options) throws(FluxError) -> FluxRepo {
        let root = URL(fileURLWithPath: root).standardizedFileURL.path
        let clusterPath = try resolveClusterPath(root: root, requested: options.clusterPath)
        var loader = FluxRepoLoader(root: root, clusterPath: clusterPath, options: options,
                                    files: RepositoryFiles(root: root))
        loader.run()
        return loader.repo
    }

    /// `--path` as given, else the only directory under `clusters/`, else the home-ops layout's
    /// `kubernetes/flux/cluster`.
    static func resolveClusterPath(root: String, requested: String?) throws(FluxError) -> String {
        let manager = FileManager.default
        if let requested {
            let relative = FluxRepoLoader.relative(requested, root: root)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw .clusterPathMissing(path: requested)
            }
            return relative
        }
        let clusters = ((try? manager.contentsOfDirectory(atPath: root + "/clusters")) ?? [])
            .filter { name in
                var isDirectory: ObjCBool = false
                return !name.hasPrefix(".") && manager.fileExists(atPath: root + "/clusters/" + name, isDirectory: &isDirectory)
                    && isDirectory.boolValue
            }.sorted()
        if clusters.count == 1 { return "clusters/" + clusters[0] }
        if clusters.isEmpty, manager.fileExists(atPath: root + "/kubernetes/flux/cluster") {
            return "kubernetes/flux/cluster"
        }
        throw .clusterPathAmbiguous(candidates: clusters.map { "clusters/" + $0 })
    }
}

/// The discovery walk behind `FluxRepo.load`: breadth first from the cluster path, so a
/// parent's ConfigMaps and Secrets are known before its children substitute with them.
struct FluxRepoLoader {
    static let bootstrapSource = FluxObjectKey(kind: "GitRepository", namespace: "flux-system", name: "flux-system")

    let options: FluxRepo.Options
    var repo: FluxRepo
    private var queue: [FluxKustomization] = []
    private var seen: Set<FluxObjectKey> = []
    /// ConfigMaps and Secrets registered but not yet substituted (dependency-graph scope), by
    /// index into `substitutions`.
    private var pendingSubstitution: [FluxObjectKey: Int] = [:]
    private var substitutions: [Substitution] = []
    /// The checkout's files as parsed once by `RepositoryFiles`, for every build to reuse.
    private let parsedFiles: [String: YAMLStream]

    init(root: String, clusterPath: String, options: FluxRepo.Options, files: RepositoryFiles) {
        self.options = options
        repo = FluxRepo(root: root, clusterPath: clusterPath, files: files,
                        rootKey: FluxObjectKey(kind: "Kustomization", namespace: "flux-system", name: "flux-system"),
                        kustomizations: [], helmReleases: [], sources: [], external: [], inventory: [:], manifests: [:],
                        appliedBy: [:], problems: [])
        parsedFiles = Dictionary(files.files.map { (root + "/" + $0.path, $0.stream) }, uniquingKeysWith: { first, _ in first })
    }

    private func buildContext(for kustomization: FluxKustomization?) -> ManifestBuildContext {
        var context = ManifestBuildContext(parsedFiles: parsedFiles)
        if options.decryptGeneratorSources, kustomization?.decrypts == true {
            context.sourceFilter = SopsGeneratorSources(decryptor: options.decryptor, root: repo.root)
        }
        return context
    }

    /// `./a/b/` → `a/b`; the repository root is `""`.
    static func relative(_ path: String, root: String) -> String {
        var p = path
        if p.hasPrefix(root + "/") { p = String(p.dropFirst(root.count + 1)) }
        let parts = p.split(separator: "/").filter { $0 != "." && !$0.isEmpty }
        return parts.joined(separator: "/")
    }

    mutating func run() {
        let clusterDirectory = directory(for: repo.clusterPath)
        var objects: [YAMLNode]
        do {
            objects = try options.builder.build(directory: clusterDirectory, repositoryRoot: repo.root,
                                                overlay: FluxKustomizeOverlay(), context: buildContext(for: nil))
        } catch {
            repo.problems.append(FluxProblem(.build, at: FluxOrigin(file: repo.clusterPath, at: nil),
                                             "build of \(repo.clusterPath) failed: \(error)"))
            return
        }
        // The bootstrap Kustomization, when the cluster path defines it, is the one whose path is
        // the cluster path; otherwise (home-ops) it lives only in the cluster and a stand-in
        // named flux-system takes its place.
        let bootstrap = objects.first { object in
            guard object["kind"]?.scalar == "Kustomization", object["apiVersion"]?.scalar?.hasPrefix("kustomize.toolkit") == true,
                  let path = object["spec"]?["path"]?.scalar else { return false }
            return Self.relative(path, root: "") == repo.clusterPath
        }
        if let bootstrap, let name = bootstrap["metadata"]?["name"]?.scalar {
            repo.rootKey = FluxObjectKey(kind: "Kustomization",
                                         namespace: bootstrap["metadata"]?["namespace"]?.scalar ?? "flux-system", name: name)
        }
        seen.insert(repo.rootKey)
        var rootKustomization: FluxKustomization?
        if let bootstrap {
            rootKustomization = decodeKustomization(bootstrap, parent: nil)
        }
        if let rootKustomization {
            repo.kustomizations.append(rootKustomization)
            // Whether the bootstrap Kustomization decrypts is only known once its path is built:
            // build it again with its generator sources decrypted when that was asked for. A
            // failure there keeps the first build, so the rest of the repository still loads.
            if rootKustomization.decrypts, options.decryptGeneratorSources, options.decryptor != nil {
                do {
                    objects = try options.builder.build(directory: clusterDirectory, repositoryRoot: repo.root,
                                                        overlay: FluxKustomizeOverlay(),
                                                        context: buildContext(for: rootKustomization))
                } catch {
                    repo.problems.append(FluxProblem(.build, at: rootKustomization.origin,
                                                     "\(rootKustomization.key): build of \(repo.clusterPath) failed: \(error)"))
                }
            }
        }
        let substitution = rootKustomization.flatMap { postBuildSubstitution(for: $0) }
        let rootObjects = rootKustomization.map { substituted(objects, with: substitution, for: $0) } ?? objects
        register(rootObjects, for: repo.rootKey, namespace: rootKustomization?.key.namespace ?? "flux-system",
                 substitution: substitution)
        while !queue.isEmpty {
            // One round: every queued Kustomization builds in parallel (the expensive part),
            // then substitution and registration run in queue order, so a Kustomization sees
            // the ConfigMaps of every one registered before it, as in a sequential walk.
            let round = queue
            queue.removeAll()
            let builds = buildConcurrently(round)
            for (kustomization, outcome) in zip(round, builds) {
                finish(kustomization, outcome)
            }
        }
    }

    /// What building one Kustomization's directory gave.
    enum BuildOutcome: Sendable {
        case skipped
        case objects([YAMLNode])
        case problem(FluxProblem)
    }

    private func buildConcurrently(_ round: [FluxKustomization]) -> [BuildOutcome] {
        let results = BuildResults(count: round.count)
        DispatchQueue.concurrentPerform(iterations: round.count) { index in
            results.set(index, build(round[index]))
        }
        return results.values
    }

    private func directory(for relativePath: String) -> String {
        relativePath.isEmpty ? repo.root : repo.root + "/" + relativePath
    }

    private func isCheckout(_ reference: FluxKustomization.Reference) -> Bool {
        guard reference.kind == "GitRepository" else { return false }
        if reference.key == Self.bootstrapSource { return true }
        if let rootSource = repo.kustomizations.first(where: { $0.key == repo.rootKey })?.sourceRef.key,
           rootSource == reference.key { return true }
        guard let remote = options.remoteURL.map(Self.normalisedURL),
              let source = repo.sources.first(where: { $0.key == reference.key }) else { return false }
        return Self.normalisedURL(source.url) == remote
    }

    /// `ssh://git@github.com/o/r.git`, `git@github.com:o/r`, `https://github.com/o/r` → `github.com/o/r`.
    static func normalisedURL(_ url: String) -> String {
        var u = url.lowercased()
        for scheme in ["ssh://", "https://", "http://", "git://"] where u.hasPrefix(scheme) { u = String(u.dropFirst(scheme.count)) }
        if let at = u.firstIndex(of: "@"), !u[..<at].contains("/") { u = String(u[u.index(after: at)...]) }
        if let colon = u.firstIndex(of: ":"), !u[..<colon].contains("/") {
            u.replaceSubrange(colon...colon, with: "/")
        }
        if u.hasSuffix(".git") { u = String(u.dropLast(4)) }
        while u.hasSuffix("/") { u.removeLast() }
        return u
    }

    private mutating func finish(_ kustomization: FluxKustomization, _ outcome: BuildOutcome) {
        switch outcome {
        case .skipped:
            repo.external.insert(kustomization.key)
        case let .problem(problem):
            repo.problems.append(problem)
        case let .objects(objects):
            let substitution = postBuildSubstitution(for: kustomization)
            register(substituted(objects, with: substitution, for: kustomization), for: kustomization.key,
                     namespace: kustomization.targetNamespace ?? kustomization.key.namespace, substitution: substitution)
        }
    }

    private func build(_ kustomization: FluxKustomization) -> BuildOutcome {
        guard isCheckout(kustomization.sourceRef) else { return .skipped }
        let relativePath = Self.relative(kustomization.path, root: "")
        let absolute = URL(fileURLWithPath: directory(for: relativePath)).standardizedFileURL.path
        let resolved = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
        let resolvedRoot = URL(fileURLWithPath: repo.root).resolvingSymlinksInPath().path
        guard absolute == repo.root || absolute.hasPrefix(repo.root + "/"),
              resolved == resolvedRoot || resolved.hasPrefix(resolvedRoot + "/") else {
            return .problem(FluxProblem(.path, at: fieldOrigin(kustomization, "path"),
                                        FluxError.pathOutsideRepository(object: kustomization.key.description,
                                                                        path: kustomization.path).description))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .problem(FluxProblem(.path, at: fieldOrigin(kustomization, "path"),
                                        "\(kustomization.key): kustomization path not found: \(kustomization.path)"))
        }
        do {
            return .objects(try options.builder.build(directory: absolute, repositoryRoot: repo.root,
                                                      overlay: kustomization.overlay,
                                                      context: buildContext(for: kustomization)))
        } catch {
            return .problem(FluxProblem(.build, at: kustomization.origin,
                                        "\(kustomization.key): build of \(kustomization.path) failed: \(error)"))
        }
    }

    /// `file:line:col` of `spec.<field>` of a Kustomization, from its source file.
    private func fieldOrigin(_ kustomization: FluxKustomization, _ field: String) -> FluxOrigin {
        guard let source = repo.files.document(at: kustomization.origin),
              let at = source["spec"]?[field]?.source.start else { return kustomization.origin }
        return FluxOrigin(file: kustomization.origin.file, at: at)
    }

    /// Records a build: its inventory, and every Flux object in it for the next round.
    private mutating func register(_ objects: [YAMLNode], for owner: FluxObjectKey, namespace: String,
                                   substitution: Substitution?) {
        repo.manifests[owner] = objects
        var entries: [InventoryEntry] = []
        let substitutionIndex = substitution.map { substitutions.append($0); return substitutions.count - 1 }
        for object in objects {
            // Only Flux objects, ConfigMaps and Secrets matter to the graph.
            if options.scope == .dependencyGraph, !InventoryEntry.isFluxAPIVersion(object["apiVersion"]?.scalar),
               !(object["apiVersion"]?.scalar == "v1" && ["ConfigMap", "Secret"].contains(object["kind"]?.scalar)) {
                continue
            }
            guard var entry = InventoryEntry(object) else { continue }
            if entry.isFluxObject && entry.namespace.isEmpty { entry.namespace = namespace }
            let inventoried = options.scope == .everything || entry.isFluxObject
            if entry.key != owner && inventoried { entries.append(entry) }
            if entry.group.isEmpty, entry.kind == "ConfigMap" || entry.kind == "Secret",
               repo.configObjects[entry.key] == nil {
                repo.configObjects[entry.key] = object
                // Substituted when a substituteFrom reads it (dependency-graph scope only).
                if options.scope == .dependencyGraph, let substitutionIndex { pendingSubstitution[entry.key] = substitutionIndex }
            }
            guard entry.isFluxObject else { continue }
            repo.appliedBy[entry.key] = owner
            switch (entry.group, entry.kind) {
            case ("kustomize.toolkit.fluxcd.io", "Kustomization"):
                guard !seen.contains(entry.key), let child = decodeKustomization(object, parent: namespace) else { continue }
                seen.insert(entry.key)
                repo.kustomizations.append(child)
                queue.append(child)
            case ("helm.toolkit.fluxcd.io", "HelmRelease"):
                if let release = decode(object, kind: entry.kind, { node, origin throws(FluxError) in
                    try FluxHelmRelease(node: node, origin: origin, defaultNamespace: namespace)
                }) { repo.helmReleases.append(release) }
            case ("source.toolkit.fluxcd.io", _):
                if let source = decode(object, kind: entry.kind, { node, origin throws(FluxError) in
                    try FluxSource(node: node, origin: origin, defaultNamespace: namespace)
                }) { repo.sources.append(source) }
            default:
                continue
            }
        }
        repo.inventory[owner] = entries.sorted(by: InventoryEntry.applyOrder)
    }

    private mutating func decodeKustomization(_ object: YAMLNode, parent namespace: String?) -> FluxKustomization? {
        decode(object, kind: "Kustomization") { node, origin throws(FluxError) in
            try FluxKustomization(node: node, origin: origin, defaultNamespace: namespace ?? "flux-system")
        }
    }

    /// Decodes a built Flux object. Built nodes carry the builder's positions, not the file's,
    /// so the origin comes from the repository index; on failure the source document is decoded
    /// again so the error points at the field in the file.
    private mutating func decode<T>(_ object: YAMLNode, kind: String,
                                    _ make: (YAMLNode, FluxOrigin) throws(FluxError) -> T) -> T? {
        let name = object["metadata"]?["name"]?.scalar ?? ""
        let origin = repo.files.origin(kind: kind, name: name, namespace: object["metadata"]?["namespace"]?.scalar)
            ?? FluxOrigin(file: "(generated)", at: nil)
        do {
            return try make(object, origin)
        } catch let error {
            var reported = error
            if case let .invalidField(file, _, object, field, problem) = error {
                reported = .invalidField(file: file, at: origin.at, object: object, field: field, problem: problem)
            }
            if let source = repo.files.document(at: origin) {
                do { _ = try make(source, origin) } catch let sourceError { reported = sourceError }
            }
            repo.problems.append(FluxProblem(.schema, at: nil, reported.description))
            return nil
        }
    }

    // MARK: postBuild

    /// One Kustomization's postBuild substitution and the name its problems carry.
    struct Substitution {
        var postBuild: PostBuildSubstitution
        var kustomization: FluxKustomization
    }

    /// The variable set of `kustomization` from the objects registered so far; nil without
    /// postBuild or when a variable name is invalid (a problem then).
    private mutating func postBuildSubstitution(for kustomization: FluxKustomization) -> Substitution? {
        guard let postBuild = kustomization.postBuild else { return nil }
        var pairs: [(key: String, value: String)] = []
        for reference in postBuild.substituteFrom {
            guard let found = repoObject(kind: reference.kind, namespace: kustomization.key.namespace,
                                         name: reference.name) else {
                if !reference.optional {
                    let at = reference.at.map { FluxOrigin(file: kustomization.origin.file, at: $0) } ?? kustomization.origin
                    repo.problems.append(FluxProblem(.substituteFrom, at: sourceOrigin(kustomization, at: at),
                        FluxError.substituteFromMissing(object: kustomization.key.description, kind: reference.kind,
                                                        name: reference.name).description))
                }
                continue
            }
            pairs += variables(from: found, kind: reference.kind, for: kustomization)
        }
        pairs += postBuild.substitute
        let variables: [String: String]
        do {
            variables = try PostBuildSubstitution.checked(pairs, object: kustomization.key.description)
        } catch let error {
            repo.problems.append(FluxProblem(.substitution, at: kustomization.origin, error.description))
            return nil
        }
        return Substitution(postBuild: PostBuildSubstitution(variables: variables, strategy: postBuild.strategy,
                                                             strict: options.strictSubstitute),
                            kustomization: kustomization)
    }

    /// `objects` substituted; with the dependency-graph scope only the Flux objects.
    private mutating func substituted(_ objects: [YAMLNode], with substitution: Substitution?,
                                      for kustomization: FluxKustomization) -> [YAMLNode] {
        guard let substitution else { return objects }
        return objects.map { object in
            if options.scope == .dependencyGraph, !InventoryEntry.isFluxAPIVersion(object["apiVersion"]?.scalar) {
                return object
            }
            return substitute(object, with: substitution)
        }
    }

    private mutating func substitute(_ object: YAMLNode, with substitution: Substitution) -> YAMLNode {
        let kustomization = substitution.kustomization
        do {
            return try substitution.postBuild.apply(to: object, object: kustomization.key.description)
        } catch let error {
            let origin = repo.files.origin(kind: object["kind"]?.scalar ?? "", name: object["metadata"]?["name"]?.scalar ?? "")
            repo.problems.append(FluxProblem(.substitution, at: origin ?? kustomization.origin, error.description))
            return object
        }
    }

    /// Positions from the builder's output are not file positions: map an origin inside a
    /// Kustomization to the same field of its source document.
    private func sourceOrigin(_ kustomization: FluxKustomization, at origin: FluxOrigin) -> FluxOrigin {
        guard let source = repo.files.document(at: kustomization.origin),
              let items = source["spec"]?["postBuild"]?["substituteFrom"]?.items,
              let index = kustomization.postBuild?.substituteFrom.firstIndex(where: { $0.at == origin.at }),
              index < items.count else { return kustomization.origin }
        return FluxOrigin(file: kustomization.origin.file, at: items[index].source.start)
    }

    private mutating func repoObject(kind: String, namespace: String, name: String) -> (node: YAMLNode, origin: FluxOrigin?)? {
        let keys = [FluxObjectKey(kind: kind, namespace: namespace, name: name), FluxObjectKey(kind: kind, namespace: "", name: name)]
        guard let key = keys.first(where: { repo.configObjects[$0] != nil }), var node = repo.configObjects[key] else { return nil }
        if let index = pendingSubstitution.removeValue(forKey: key) {
            node = substitute(node, with: substitutions[index])
            repo.configObjects[key] = node
        }
        return (node, repo.files.origin(kind: kind, name: name, namespace: namespace))
    }

    /// A ConfigMap's `data`, a Secret's `stringData` and decoded `data`. An encrypted Secret is
    /// decrypted when a decryptor is available; otherwise its keys map to themselves (`${KEY}`
    /// stays in the output) and a warning says so — never an empty value in its place.
    private mutating func variables(from found: (node: YAMLNode, origin: FluxOrigin?), kind: String,
                                    for kustomization: FluxKustomization) -> [(key: String, value: String)] {
        var object = found.node
        if kind == "Secret", SopsObject.isEncrypted(object) {
            if let decryptor = options.decryptor {
                do {
                    object = try decryptor.decrypt(object, file: found.origin.map { repo.root + "/" + $0.file } ?? "")
                } catch {
                    repo.problems.append(FluxProblem(.warning, .substituteFrom, at: found.origin,
                        "\(kustomization.key): cannot decrypt Secret \(object["metadata"]?["name"]?.scalar ?? ""): \(error)"))
                    return Self.placeholders(object)
                }
            } else {
                let name = object["metadata"]?["name"]?.scalar ?? ""
                let keys = Self.placeholders(object).map(\.key).joined(separator: ", ")
                repo.problems.append(FluxProblem(.warning, .substituteFrom, at: found.origin,
                    FluxError.unresolvedEncryptedVariables(object: kustomization.key.description,
                                                           secret: "Secret/\(name)").description
                    + (keys.isEmpty ? "" : " (left as written: \(keys))")))
                return Self.placeholders(object)
            }
        }
        var pairs: [(key: String, value: String)] = []
        if kind == "ConfigMap" {
            for entry in object["data"]?.entries ?? [] {
                if let key = entry.key.scalar { pairs.append((key, entry.value.scalar ?? "")) }
            }
            return pairs
        }
        for entry in object["data"]?.entries ?? [] {
            guard let key = entry.key.scalar else { continue }
            let decoded = Data(base64Encoded: entry.value.scalar ?? "").map { String(decoding: $0, as: UTF8.self) } ?? ""
            pairs.append((key, decoded))
        }
        for entry in object["stringData"]?.entries ?? [] {
            if let key = entry.key.scalar { pairs.append((key, entry.value.scalar ?? "")) }
        }
        return pairs
    }

    private static func placeholders(_ object: YAMLNode) -> [(key: String, value: String)] {
        let keys = (object["data"]?.keys ?? []) + (object["stringData"]?.keys ?? [])
        return keys.map { ($0, "${\($0)}") }
    }
}

/// The outcomes of one concurrent build round, written by index from worker threads.
private final class BuildResults: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [FluxRepoLoader.BuildOutcome]

    init(count: Int) { stored = Array(repeating: .skipped, count: count) }

    func set(_ index: Int, _ outcome: FluxRepoLoader.BuildOutcome) {
        lock.withLock { stored[index] = outcome }
    }

    var values: [FluxRepoLoader.BuildOutcome] { lock.withLock { stored } }
}
