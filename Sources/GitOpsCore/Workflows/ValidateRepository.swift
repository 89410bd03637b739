import Foundation

/// `gitopsctl validate`: every check CI needs before Flux sees a commit — each Kustomization
/// builds, every reference resolves, no dependency cycles, no object applied twice, SOPS rules
/// honoured, every YAML file parses. Problems come back as values; nothing is printed here.
public struct ValidateRepository: Sendable {
    public var repo: FluxRepo

    public init(repo: FluxRepo) { self.repo = repo }

    /// Every problem, sorted by file and position (those without a file last).
    public func problems() -> [FluxProblem] {
        var found = repo.problems
        found += yamlProblems()
        found += graphProblems()
        found += sourceProblems()
        found += valuesFromProblems()
        found += duplicateProblems()
        found += sopsProblems()
        return Self.sorted(Array(Set(found)))
    }

    static func sorted(_ problems: [FluxProblem]) -> [FluxProblem] {
        problems.sorted { a, b in
            let fa = a.origin?.file ?? "\u{10FFFF}", fb = b.origin?.file ?? "\u{10FFFF}"
            if fa != fb { return fa < fb }
            let la = a.origin?.at?.offset ?? -1, lb = b.origin?.at?.offset ?? -1
            if la != lb { return la < lb }
            return a.message < b.message
        }
    }

    private func yamlProblems() -> [FluxProblem] {
        repo.files.parseErrors.map { path, error in
            if case let .syntax(file, at, problem, context) = error {
                return FluxProblem(.yaml, at: FluxOrigin(file: file, at: at),
                                   "invalid YAML: \(problem)" + (context.map { " \($0)" } ?? ""))
            }
            return FluxProblem(.yaml, at: FluxOrigin(file: path, at: nil), error.description)
        }
    }

    private func graphProblems() -> [FluxProblem] {
        let graph = DependencyGraph(repo)
        var problems = graph.missing.map { missing in
            FluxProblem(.dependsOn, at: sourcePosition(missing.origin, of: missing.from),
                        "\(missing.from): dependsOn \(missing.target) which is not in the repository")
        }
        for cycle in graph.cycles {
            let first = cycle.first.flatMap { graph.node($0) }
            problems.append(FluxProblem(.cycle, at: first?.origin,
                                        "dependency cycle: \(DependencyGraph.describe(cycle))"))
        }
        return problems
    }

    /// Built nodes carry the builder's positions; a `dependsOn` entry's position is looked up
    /// in the source document by name.
    private func sourcePosition(_ origin: FluxOrigin, of key: FluxObjectKey) -> FluxOrigin {
        guard let object = objectOrigin(key), let source = repo.files.document(at: object) else { return origin }
        let items = source["spec"]?["dependsOn"]?.items ?? []
        guard let index = (repo.kustomizations.first { $0.key == key }?.dependsOn
                           ?? repo.helmRelease(key)?.dependsOn)?.firstIndex(where: { $0.at == origin.at }),
              index < items.count else { return object }
        return FluxOrigin(file: object.file, at: items[index].source.start)
    }

    private func objectOrigin(_ key: FluxObjectKey) -> FluxOrigin? {
        repo.kustomizations.first { $0.key == key }?.origin ?? repo.helmRelease(key)?.origin
    }

    private func sourceProblems() -> [FluxProblem] {
        let sources = Set(repo.sources.map(\.key))
        var problems: [FluxProblem] = []
        for kustomization in repo.kustomizations {
            let target = kustomization.sourceRef.key
            // The bootstrap GitRepository may exist only in the cluster (flux bootstrap creates it).
            if sources.contains(target) || target == FluxRepoLoader.bootstrapSource { continue }
            if kustomization.sourceRef.kind == "ExternalArtifact" { continue }
            problems.append(FluxProblem(.sourceRef, at: field(kustomization.origin, ["spec", "sourceRef"]),
                                        "\(kustomization.key): sourceRef \(target) is not in the repository"))
        }
        for release in repo.helmReleases {
            let source = release.chart.source
            if sources.contains(source.key) || source.kind == "ExternalArtifact" { continue }
            // A chart template creates its HelmChart; a chartRef to a HelmChart needs it to exist.
            let path = release.chart.name.isEmpty ? ["spec", "chartRef"] : ["spec", "chart", "spec", "sourceRef"]
            problems.append(FluxProblem(.sourceRef, at: field(release.origin, path),
                                        "\(release.key): chart source \(source.key) is not in the repository"))
        }
        return problems
    }

    private func valuesFromProblems() -> [FluxProblem] {
        var problems: [FluxProblem] = []
        for release in repo.helmReleases {
            for (index, reference) in release.valuesFrom.enumerated() where !reference.optional {
                guard !exists(kind: reference.kind, namespace: release.key.namespace, name: reference.name) else { continue }
                let at = field(release.origin, ["spec", "valuesFrom"], item: index)
                problems.append(FluxProblem(.valuesFrom, at: at,
                    "\(release.key): valuesFrom \(reference.kind)/\(release.key.namespace)/\(reference.name) is not in the repository"))
            }
        }
        return problems
    }

    /// A ConfigMap or Secret in the builds, also under a kustomize generator's hash suffix.
    private func exists(kind: String, namespace: String, name: String) -> Bool {
        for entries in repo.inventory.values {
            for entry in entries where entry.kind == kind && (entry.namespace == namespace || entry.namespace.isEmpty) {
                if entry.name == name { return true }
                if entry.name.hasPrefix(name + "-"), entry.name.count == name.count + 11 { return true }
            }
        }
        return false
    }

    private func duplicateProblems() -> [FluxProblem] {
        var owners: [InventoryEntry: [FluxObjectKey]] = [:]
        for (owner, entries) in repo.inventory {
            for entry in entries {
                var id = entry
                id.version = ""
                owners[id, default: []].append(owner)
            }
        }
        return owners.compactMap { entry, keys -> FluxProblem? in
            guard keys.count > 1 else { return nil }
            let names = keys.sorted().map(\.description).joined(separator: " and ")
            let origin = repo.files.origin(kind: entry.kind, name: entry.name, namespace: entry.namespace)
            return FluxProblem(.duplicate, at: origin, "\(entry.key) is applied by both \(names)")
        }
    }

    private func sopsProblems() -> [FluxProblem] {
        let coverage: SopsCoverage?
        do { coverage = try SopsCoverage(root: repo.root) } catch let error {
            return [FluxProblem(.sops, at: FluxOrigin(file: ".sops.yaml", at: nil), error.description)]
        }
        guard let coverage else { return [] }
        var problems: [FluxProblem] = []
        for file in repo.files.files {
            guard let rule = coverage.rule(for: file.path) else { continue }
            for document in file.stream.documents {
                guard let root = document.root, !(root.isScalar && root.isNull),
                      let (message, at) = SopsCoverage.problem(in: root) else { continue }
                problems.append(FluxProblem(.sops, at: FluxOrigin(file: file.path, at: at),
                    "\(message); .sops.yaml creation rule \(rule.index + 1) (path_regex \(rule.pathRegex)) covers this file"))
            }
        }
        return problems + ValidateGeneratorSources.problems(root: repo.root, files: repo.files, coverage: coverage)
    }

    /// The origin of a field of an object, from its source document.
    private func field(_ origin: FluxOrigin, _ path: [String], item: Int? = nil) -> FluxOrigin {
        guard var node = repo.files.document(at: origin) else { return origin }
        for part in path {
            guard let next = node[part] else { return FluxOrigin(file: origin.file, at: node.source.start) }
            node = next
        }
        if let item, let element = node[item] { node = element }
        return FluxOrigin(file: origin.file, at: node.source.start)
    }
}
