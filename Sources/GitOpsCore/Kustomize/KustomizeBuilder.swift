import Foundation

/// Builds a kustomize directory in-process, the way `kubectl kustomize` (kustomize v5) does:
/// resources, generators, components and transformers per kustomization layer, then hash
/// suffixes, name references and the legacy sort for the whole build.
public struct KustomizeBuilder: Sendable {
    /// What to do with a top-level directory that has no kustomization file.
    public enum MissingKustomization: Sendable {
        /// Fail as kustomize does.
        case fail
        /// Generate one the way Flux's kustomize-controller does (every manifest below it).
        case generateLikeFlux
    }

    /// Directories outside this path are never read (kustomize's load restrictor for a
    /// repository or artifact root); nil allows any.
    public var root: String?
    public var missingKustomization: MissingKustomization

    /// Files the caller has parsed already (absolute path → stream): read from here, not again.
    public var parsedFiles: [String: YAMLStream] = [:]
    /// Sees generator and patch sources before they are used (kustomize-controller decrypts
    /// SOPS-encrypted ones there); nil reads them as they are.
    public var sourceFilter: (any KustomizeSourceFilter)?

    public init(root: String? = nil, missingKustomization: MissingKustomization = .generateLikeFlux) {
        self.root = root.map(FileLoader.normalize)
        self.missingKustomization = missingKustomization
    }

    /// The objects `kubectl kustomize DIR` prints, in its order.
    public func build(_ directory: String) throws -> KustomizeBuild {
        let dir = try existingDirectory(directory)
        let loader = makeLoader()
        var state = BuildState()
        let resources = try accumulate(dir, chain: [], loader: loader, isTop: true, state: &state)
        return try finish(resources, topDirectory: dir, state: state)
    }

    /// The objects of a kustomization held in memory (`node`), built as if its file were
    /// `name` in `directory`: its entries resolve against `directory` (absolute ones as they
    /// are), and `directory` itself may be one of its resources. Flux layers its overlay
    /// (targetNamespace, patches, images, components) onto a path this way without writing a
    /// file into the checkout or a temporary directory.
    public func build(kustomization node: YAMLNode, in directory: String, name: String) throws -> KustomizeBuild {
        let dir = try existingDirectory(directory)
        let loader = makeLoader()
        let k = try KustomizationDecoder(file: name, directory: dir, loader: loader).decode(node)
        var state = BuildState(top: k)
        var resources: [KustomizeResource] = []
        // The in-memory layer is not a directory of its own: leaving it out of the chain lets it
        // list `directory` without that counting as a cycle.
        try applyLayer(k, dir: dir, chain: [], loader: loader, state: &state, onto: &resources)
        return try finish(resources, topDirectory: dir, state: state)
    }

    private func existingDirectory(_ directory: String) throws -> String {
        let dir = FileLoader.normalize(directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw KustomizeError.notADirectory(path: directory)
        }
        return dir
    }

    private func makeLoader() -> FileLoader {
        FileLoader(root: root, parsedFiles: parsedFiles, sourceFilter: sourceFilter)
    }

    /// Hash suffixes, name references, local-config removal, build metadata and the sort: the
    /// steps that run once over a whole build.
    private func finish(_ accumulated: [KustomizeResource], topDirectory dir: String,
                        state: BuildState) throws -> KustomizeBuild {
        var resources = accumulated
        for i in resources.indices where resources[i].generator?.appendHash == true {
            let hash = NameHash.suffix(for: resources[i].node)
            resources[i].rename(to: "\(resources[i].name)-\(hash)")
        }
        try NameReferences.fix(&resources, extraRules: state.nameReferenceRules)
        resources.removeAll { $0.annotations["config.kubernetes.io/local-config"] == "true" }
        for i in resources.indices { resources[i].rewriteAnnotations() }
        if let top = state.top {
            try BuildMetadata.apply(top.buildMetadata, topDirectory: dir, file: top.file, to: &resources)
        }
        switch state.top?.sortOptions {
        case .fifo: break
        case .legacy(let first, let last): resources = LegacyOrder.sorted(resources, first: first, last: last)
        case nil: resources = LegacyOrder.sorted(resources, first: LegacyOrder.first, last: LegacyOrder.last)
        }
        return KustomizeBuild(objects: resources.map(\.node))
    }

    private func accumulate(_ dir: String, chain: [String], loader: FileLoader, isTop: Bool,
                            state: inout BuildState) throws -> [KustomizeResource] {
        if chain.contains(dir) { throw KustomizeError.cycle(chain: chain + [dir]) }
        let kustomization: Kustomization
        if let file = try loader.kustomizationFile(in: dir) {
            let stream = try loader.parse(file)
            kustomization = try KustomizationDecoder(file: file, directory: dir, loader: loader)
                .decode(stream.documents.first?.root)
        } else if isTop && missingKustomization == .generateLikeFlux {
            kustomization = try FluxGeneratedKustomization.make(for: dir, loader: loader)
        } else {
            throw KustomizeError.notAKustomization(directory: dir)
        }
        if kustomization.isComponent && !isTop {
            throw KustomizeError.wrongKind(directory: dir, expected: "!= 'Component'", found: "Component")
        }
        if isTop { state.top = kustomization }
        var resources: [KustomizeResource] = []
        try applyLayer(kustomization, dir: dir, chain: chain + [dir], loader: loader, state: &state, onto: &resources)
        return resources
    }

    /// One kustomization's steps onto `resources` (empty for a kustomization, the parent's
    /// accumulated objects for a component).
    private func applyLayer(_ k: Kustomization, dir: String, chain: [String], loader: FileLoader,
                            state: inout BuildState, onto resources: inout [KustomizeResource]) throws {
        for entry in k.configurations {
            let path = try loader.resolveFile(entry, in: dir, from: k.file)
            state.nameReferenceRules += try TransformerConfiguration.nameReferenceRules(in: path, loader: loader)
        }
        var crds = CRDConfiguration()
        for entry in k.crds {
            crds.add(try CRDConfiguration.load(try loader.resolveFile(entry, in: dir, from: k.file), loader: loader))
        }
        // Name references from any layer's CRDs apply to the whole build; the other field
        // specs to this layer's transformers.
        state.nameReferenceRules += crds.nameReferenceRules
        var seen = Set(resources.map { IDKey($0.id) })
        for entry in k.resources {
            switch try loader.resolveEntry(entry, in: dir, from: k.file) {
            case .file(let path):
                try add(try ResourceFile.load(path, loader: loader), to: &resources, seen: &seen, file: k.file)
            case .directory(let sub):
                try add(try accumulate(sub, chain: chain, loader: loader, isTop: false, state: &state),
                        to: &resources, seen: &seen, file: k.file)
            }
        }
        let generator = Generator(directory: dir, file: k.file, loader: loader)
        for spec in k.configMapGenerator + k.secretGenerator {
            try merge(try generator.generate(spec, globalOptions: k.generatorOptions), into: &resources, file: k.file)
        }
        for entry in k.components {
            guard case .directory(let componentDir) = try loader.resolveEntry(entry, in: dir, from: k.file) else {
                throw KustomizeError.notAKustomization(directory: FileLoader.join(dir, entry))
            }
            if chain.contains(componentDir) { throw KustomizeError.cycle(chain: chain + [componentDir]) }
            guard let file = try loader.kustomizationFile(in: componentDir) else {
                throw KustomizeError.notAKustomization(directory: componentDir)
            }
            let component = try KustomizationDecoder(file: file, directory: componentDir, loader: loader)
                .decode(try loader.parse(file).documents.first?.root)
            guard component.isComponent else {
                throw KustomizeError.wrongKind(directory: componentDir, expected: "'Component'", found: "Kustomization")
            }
            try applyLayer(component, dir: componentDir, chain: chain + [componentDir], loader: loader,
                           state: &state, onto: &resources)
        }
        try transform(k, crds: crds, &resources)
    }

    /// The builtin transformers in kustomize's fixed order.
    private func transform(_ k: Kustomization, crds: CRDConfiguration, _ resources: inout [KustomizeResource]) throws {
        // Each configured builtin transformer is recorded on every object of the layer after
        // it runs (kustomize's transformerAnnotations build metadata).
        func ran(_ kind: String, times: Int = 1) {
            guard times > 0 else { return }
            for i in resources.indices {
                resources[i].transformations += Array(repeating: .init(file: k.file, kind: kind), count: times)
            }
        }
        if !k.patchesStrategicMerge.isEmpty {
            for patch in k.patchesStrategicMerge { try PatchTransformer.apply(patch, to: &resources) }
            ran("PatchStrategicMergeTransformer")
        }
        for patch in k.patches {
            try PatchTransformer.apply(patch, to: &resources)
            ran("PatchTransformer")
        }
        if let namespace = k.namespace {
            MetadataTransformers.setNamespace(namespace, on: &resources)
            ran("NamespaceTransformer")
        }
        MetadataTransformers.addAffixes(prefix: k.namePrefix ?? "", suffix: k.nameSuffix ?? "",
                                        identities: crds.identities, on: &resources)
        if !(k.namePrefix ?? "").isEmpty { ran("PrefixTransformer") }
        if !(k.nameSuffix ?? "").isEmpty { ran("SuffixTransformer") }
        for labels in k.labels {
            MetadataTransformers.addLabels(labels, crdSelectors: crds.labelSelectors, on: &resources)
            ran("LabelTransformer")
        }
        // kustomize configures a commonLabels transformer whenever any labels are set.
        if !k.labels.isEmpty && !k.hasCommonLabels { ran("LabelTransformer") }
        if !k.commonAnnotations.isEmpty {
            MetadataTransformers.addAnnotations(k.commonAnnotations, crdFields: crds.annotations, on: &resources)
            ran("AnnotationsTransformer")
        }
        for patch in k.patchesJson6902 {
            try PatchTransformer.apply(patch, to: &resources)
            ran("PatchJson6902Transformer")
        }
        for replica in k.replicas {
            try ReplicaTransformer.apply([replica], file: k.file, on: &resources)
            ran("ReplicaCountTransformer")
        }
        for image in k.images {
            ImageTransformer.apply(image, on: &resources)
            ran("ImageTagTransformer")
        }
        if !k.replacements.isEmpty {
            for replacement in k.replacements { try replacement.apply(to: &resources) }
            ran("ReplacementTransformer")
        }
    }

    private func add(_ new: [KustomizeResource], to resources: inout [KustomizeResource],
                     seen: inout Set<IDKey>, file: String) throws {
        for resource in new {
            guard seen.insert(IDKey(resource.id)).inserted else {
                throw KustomizeError.duplicateID(id: resource.id.description, file: file)
            }
            resources.append(resource)
        }
    }

    /// Adds a generated object, or merges/replaces the one of the same name from a base.
    private func merge(_ generated: KustomizeResource, into resources: inout [KustomizeResource], file: String) throws {
        let behavior = generated.generator?.behavior ?? .create
        let index = resources.firstIndex { $0.kind == generated.kind && $0.matches(anyID: generated.id) }
        switch (behavior, index) {
        case (.create, nil):
            resources.append(generated)
        case (.create, .some):
            throw KustomizeError.duplicateID(id: generated.id.description, file: file)
        case (.merge, nil), (.replace, nil):
            throw KustomizeError.generatorBehavior(file: file, id: generated.id.shortDescription,
                                                   problem: "id \(generated.id) does not exist; cannot merge or replace")
        case (.merge, .some(let i)), (.replace, .some(let i)):
            // kustomize's appendReplaceOrMerge: the new object wins, keeping the old one's
            // name, namespace and build history, its labels and annotations under the new
            // ones, and for `merge` its data and binaryData keys under the new ones.
            let old = resources[i]
            var node = generated.node
            var metadata = node["metadata"] ?? YAMLNode(mapping: [])
            for field in ["labels", "annotations"] {
                let merged = Self.mergedMap(old.node["metadata"]?[field], generated.node["metadata"]?[field])
                if let merged { metadata[field] = merged }
            }
            metadata["name"] = old.node["metadata"]?["name"]
            if let namespace = old.node["metadata"]?["namespace"] { metadata["namespace"] = namespace } else {
                metadata.removeValue(forKey: "namespace")
            }
            node["metadata"] = metadata
            if behavior == .merge {
                for field in ["data", "binaryData"] {
                    if let merged = Self.mergedMap(old.node[field], generated.node[field]) { node[field] = merged }
                }
            }
            var result = old
            result.node = node
            mergeHashOption(generated, into: &result)
            resources[i] = result
        }
    }

    /// `new`'s keys over `old`'s; nil when neither has any.
    private static func mergedMap(_ old: YAMLNode?, _ new: YAMLNode?) -> YAMLNode? {
        let oldEntries = old?.entries ?? [], newEntries = new?.entries ?? []
        if oldEntries.isEmpty && newEntries.isEmpty { return nil }
        var merged = YAMLNode(mapping: oldEntries)
        for pair in newEntries { merged[pair.key.scalar ?? ""] = pair.value }
        return merged
    }

    private func mergeHashOption(_ generated: KustomizeResource, into resource: inout KustomizeResource) {
        let appendHash = (resource.generator?.appendHash ?? false) && (generated.generator?.appendHash ?? true)
        resource.generator = .init(behavior: .create, appendHash: appendHash)
    }
}

/// What a build collects across its kustomizations: the top one (its sort options win) and
/// extra name-reference field specs from `configurations` files, which apply build-wide.
struct BuildState {
    var top: Kustomization?
    var nameReferenceRules: [NameReferences.Rule] = []
}

/// The result of a build.
public struct KustomizeBuild: Sendable {
    /// The objects in output order.
    public var objects: [YAMLNode]

    /// The multi-document YAML `kubectl kustomize` prints for these objects.
    public var yaml: String { ManifestValue.render(objects) }
}

/// A resource id as kustomize compares them for duplicates.
struct IDKey: Hashable {
    var gvk: GroupVersionKind
    var namespace: String
    var name: String

    init(_ id: ResourceID) {
        gvk = id.gvk
        namespace = id.effectiveNamespace
        name = id.name
    }
}
