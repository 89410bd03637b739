/// A Flux repository as Flux would see it from one cluster path, built offline from a checkout:
/// every Kustomization reachable from the cluster path (built, substituted, recursively), the
/// HelmReleases and sources they apply, what each Kustomization applies (its inventory) and the
/// problems found on the way. `tree`, `build`, `validate`, `get --local` and completion share it.
public struct FluxRepo: Sendable {
    /// How much of each build the model keeps.
    public enum Scope: Sendable {
        /// Every object substituted, every inventory entry: what `build`, `validate` and
        /// `reconcile --local` need.
        case everything
        /// Only what the `dependsOn` graph needs: Flux objects are substituted and inventoried,
        /// other objects are kept as built, and a ConfigMap or Secret is substituted only when
        /// a `substituteFrom` reads it. Problems in skipped objects go unreported.
        case dependencyGraph
    }

    /// How to load a repository.
    public struct Options: Sendable {
        /// Relative to the root; nil = the only directory under `clusters/` (or `kubernetes/flux/cluster`).
        public var clusterPath: String?
        public var builder: any ManifestBuilder
        /// Decrypts SOPS-encrypted `substituteFrom` Secrets; nil leaves them unresolved (a warning).
        public var decryptor: (any SopsDecrypting)?
        public var strictSubstitute: Bool
        /// The checkout's `origin` URL: GitRepositories pointing at it are the checkout itself.
        public var remoteURL: String?
        /// Decrypt SOPS-encrypted `secretGenerator` (and patch) sources of Kustomizations with
        /// `spec.decryption` before building, as the controller does. Off by default: the
        /// built Secrets then hold plaintext, which only `build ks --decrypt` and
        /// `reconcile --local` want. Without a `decryptor`, an encrypted source fails its
        /// Kustomization's build, as it fails the controller's.
        public var decryptGeneratorSources = false
        public var scope: Scope = .everything

        public init(clusterPath: String? = nil, builder: any ManifestBuilder, decryptor: (any SopsDecrypting)? = nil,
                    strictSubstitute: Bool = false, remoteURL: String? = nil) {
            self.clusterPath = clusterPath
            self.builder = builder
            self.decryptor = decryptor
            self.strictSubstitute = strictSubstitute
            self.remoteURL = remoteURL
        }
    }

    /// The absolute repository root.
    public var root: String
    /// The cluster directory, relative to the root.
    public var clusterPath: String
    public var files: RepositoryFiles
    /// The Kustomization that applies the cluster path: the bootstrap one (`flux-system`), or a
    /// stand-in of that name when it exists only in the cluster.
    public var rootKey: FluxObjectKey
    /// In discovery order (parents before children).
    public var kustomizations: [FluxKustomization]
    public var helmReleases: [FluxHelmRelease]
    public var sources: [FluxSource]
    /// Kustomizations whose source is not this checkout: listed, not built.
    public var external: Set<FluxObjectKey>
    /// What each built Kustomization applies, in apply order.
    public var inventory: [FluxObjectKey: [InventoryEntry]]
    /// The built and substituted objects of each Kustomization, in kustomize's order.
    public var manifests: [FluxObjectKey: [YAMLNode]]
    /// Which Kustomization applies each Flux object.
    public var appliedBy: [FluxObjectKey: FluxObjectKey]
    public var problems: [FluxProblem]
    /// ConfigMaps and Secrets of every build by `Kind/namespace/name`, for `substituteFrom`.
    var configObjects: [FluxObjectKey: YAMLNode] = [:]

    public func kustomization(named name: String, namespace: String? = nil) -> FluxKustomization? {
        kustomizations.first { $0.key.name == name && (namespace == nil || $0.key.namespace == namespace) }
    }

    public func helmRelease(_ key: FluxObjectKey) -> FluxHelmRelease? {
        helmReleases.first { $0.key == key }
    }

    /// The objects `kind` in `namespace` the builds produce (ConfigMaps and Secrets for
    /// `substituteFrom` and `valuesFrom`).
    func builtObject(kind: String, namespace: String, name: String) -> YAMLNode? {
        configObjects[FluxObjectKey(kind: kind, namespace: namespace, name: name)]
            ?? configObjects[FluxObjectKey(kind: kind, namespace: "", name: name)]
    }
}
