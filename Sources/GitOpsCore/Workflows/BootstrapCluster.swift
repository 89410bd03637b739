import Foundation

/// The cluster half of a bootstrap: what is there already, then the writes flux's bootstrap
/// makes (components on first install, the Secrets, the sync objects) and the waits.
struct BootstrapCluster: Sendable {
    let client: KubeClient
    let manifests: BootstrapManifests
    let timeout: Double
    let report: @Sendable (BootstrapEvent) -> Void

    /// What the cluster holds before anything is written.
    struct State: Sendable {
        var syncKustomization: KubeObject?
        var decryptionSecret: KubeObject?
        var sourceSecret: KubeObject?

        /// flux installs components only while the sync Kustomization is absent or has never
        /// applied a revision; afterwards kustomize-controller upgrades them from git.
        var needsComponents: Bool {
            (syncKustomization?.json.at("status.lastAppliedRevision")?.stringValue ?? "").isEmpty
        }
    }

    /// Reads the current state and refuses what flux refuses (another sync path) and what would
    /// lose data (a different identity in the decryption Secret, unless forced). This runs before
    /// anything is written, so an unreachable cluster leaves the repository untouched.
    func preflight(key: BootstrapAgeKey, force: Bool, definesSyncKinds: Bool) async throws(BootstrapError) -> State {
        let namespace = manifests.namespace
        if !definesSyncKinds {
            try await requireServed([.gitRepository, .kustomization])
        }
        let state = State(
            syncKustomization: try await Self.mapped { () async throws(KubeError) in
                try await getIfServed(.kustomization, name: namespace) },
            decryptionSecret: try await Self.mapped { () async throws(KubeError) in
                try await client.getIfPresent(.secret, name: manifests.decryptionSecretName, namespace: namespace) },
            sourceSecret: try await Self.mapped { () async throws(KubeError) in
                try await client.getIfPresent(.secret, name: manifests.secretName, namespace: namespace) })
        if let old = state.syncKustomization?.json.at("spec.path")?.stringValue,
           BootstrapManifests.normalisedPath(old) != manifests.path {
            throw .pathChanged(new: manifests.syncPath, old: old)
        }
        if let secret = state.decryptionSecret, !force {
            var stored = Self.decodedData(secret, key: "age.agekey") ?? []
            defer { Sodium.zero(&stored) }
            guard key.sameIdentity(as: stored) else {
                throw .decryptionSecretDiffers(namespace: namespace, name: manifests.decryptionSecretName)
            }
        }
        return state
    }

    /// Without CRDs in the components, the sync objects can only be applied if the cluster serves
    /// their kinds already; say so before anything is committed.
    private func requireServed(_ kinds: [GroupVersionKind]) async throws(BootstrapError) {
        for kind in kinds {
            do {
                _ = try await client.resource(for: kind)
            } catch {
                if case .kindNotFound = error { throw Self.missingCRDs(error) }
                throw Self.translate(error)
            }
        }
    }

    static func missingCRDs(_ error: KubeError) -> BootstrapError {
        .cluster(reason: "the Flux CRDs are not installed on the cluster (\(error)); "
                 + "pass the install manifests with --components-file, or install them first")
    }

    /// Applies what is missing or different and reports whether anything changed.
    func apply(_ objects: [KubeObject], state: State, key: BootstrapAgeKey, sourceKey: [UInt8]?,
               sourceKeyPublic: [UInt8]?, knownHosts: [UInt8]? = nil, installsControllers: Bool,
               expectedRevision: String? = nil) async throws(BootstrapError) -> Bool {
        let (sync, components) = split(objects)
        var changed = false
        // A comment-only stand-in (the repository declares the namespace) has nothing to install.
        if state.needsComponents, !components.isEmpty {
            report(.action("installing components in \"\(manifests.namespace)\" namespace"))
            let installed = try await applyStaged(components)
            report(.success(installed ? "installed components" : "components are up to date"))
            changed = installed
        }
        changed = try await ensureNamespace() || changed
        changed = try await applyDecryptionSecret(state: state, key: key) || changed
        if let sourceKey {
            changed = try await applySourceSecret(state: state, identity: sourceKey, publicKey: sourceKeyPublic,
                                                          knownHosts: knownHosts) || changed
        }
        changed = try await applySync(sync) || changed
        if installsControllers {
            try await waitForSync(expectedRevision: expectedRevision)
            try await confirmComponents(components)
        }
        return changed
    }

    /// The sync GitRepository and Kustomization (applied after the Secrets they reference) and
    /// everything else (components).
    func split(_ objects: [KubeObject]) -> (sync: [KubeObject], components: [KubeObject]) {
        func isSync(_ object: KubeObject) -> Bool {
            (object.groupVersionKind.kind == "GitRepository" || object.groupVersionKind.kind == "Kustomization")
                && object.groupVersionKind.group.hasSuffix(".toolkit.fluxcd.io")
                && object.name == manifests.namespace && object.namespace == manifests.namespace
        }
        return (objects.filter(isSync), objects.filter { !isSync($0) })
    }

    /// The Secrets need their namespace. The components create it, unless the repository declares
    /// it itself (then kustomize-controller adopts it later) or the components were installed
    /// before; create it only when it is missing, so a re-run writes nothing.
    private func ensureNamespace() async throws(BootstrapError) -> Bool {
        let name = manifests.namespace
        let live = try await Self.mapped { () async throws(KubeError) in
            try await client.getIfPresent(.namespace, name: name, namespace: nil)
        }
        guard live == nil else { return false }
        report(.action("creating namespace \"\(name)\""))
        let namespace = KubeObject(.object([
            (key: "apiVersion", value: .string("v1")),
            (key: "kind", value: .string("Namespace")),
            (key: "metadata", value: .object([(key: "name", value: .string(name))])),
        ]))
        try await Self.mapped { () async throws(KubeError) in
            _ = try await client.apply(namespace, fieldManager: "flux")
        }
        report(.success("created namespace \"\(name)\""))
        return true
    }

    private func applyDecryptionSecret(state: State, key: BootstrapAgeKey) async throws(BootstrapError) -> Bool {
        let name = manifests.decryptionSecretName
        if let secret = state.decryptionSecret {
            var stored = Self.decodedData(secret, key: "age.agekey") ?? []
            defer { Sodium.zero(&stored) }
            if key.sameIdentity(as: stored) {
                report(.success("decryption secret \"\(manifests.namespace)/\(name)\" up to date"))
                return false
            }
        }
        report(.action("applying decryption secret \"\(manifests.namespace)/\(name)\""))
        var identity = key.fileBytes.withUnsafeBytes { Array($0) }
        defer { Sodium.zero(&identity) }
        try await applySecret(name: name, data: ["age.agekey": identity], force: state.decryptionSecret != nil)
        report(.success("reconciled decryption secret"))
        return true
    }

    private func applySourceSecret(state: State, identity: [UInt8], publicKey: [UInt8]?,
                                   knownHosts: [UInt8]?) async throws(BootstrapError) -> Bool {
        let name = manifests.secretName
        if let secret = state.sourceSecret, Self.decodedData(secret, key: "identity") == identity,
           knownHosts == nil || Self.decodedData(secret, key: "known_hosts") == knownHosts {
            report(.success("source secret up to date"))
            return false
        }
        report(.action("applying source secret \"\(manifests.namespace)/\(name)\""))
        var data = ["identity": identity]
        if let publicKey { data["identity.pub"] = publicKey }
        if let knownHosts { data["known_hosts"] = knownHosts }
        try await applySecret(name: name, data: data, force: true)
        report(.success("reconciled source secret"))
        return true
    }

    private func applySecret(name: String, data: [String: [UInt8]], force: Bool) async throws(BootstrapError) {
        let encoded = data.keys.sorted().map { key in
            (key: key, value: KubeJSON.string(Data(data[key] ?? []).base64EncodedString()))
        }
        let secret = KubeObject(.object([
            (key: "apiVersion", value: .string("v1")),
            (key: "kind", value: .string("Secret")),
            (key: "metadata", value: .object([(key: "name", value: .string(name)),
                                              (key: "namespace", value: .string(manifests.namespace))])),
            (key: "type", value: .string("Opaque")),
            (key: "data", value: .object(encoded)),
        ]))
        try await Self.mapped { () async throws(KubeError) in
            _ = try await client.apply(secret, fieldManager: "flux", force: force)
        }
    }

    private func applySync(_ objects: [KubeObject]) async throws(BootstrapError) -> Bool {
        report(.action("applying sync manifests"))
        let changed = try await applyStaged(objects)
        report(.success("reconciled sync configuration"))
        return changed
    }

    /// Server-side applies the objects the cluster does not already hold as written (CRDs and
    /// Namespaces first) and says whether it applied any. Skipping satisfied objects keeps a
    /// re-run from writing at all, so nothing (not even managedFields) changes on the cluster.
    private func applyStaged(_ objects: [KubeObject]) async throws(BootstrapError) -> Bool {
        var pending: [KubeObject] = []
        for object in objects {
            let live = try await Self.mapped { () async throws(KubeError) in
                try await getIfServed(object.groupVersionKind, name: object.name, namespace: object.namespace ?? "default")
            }
            if let live, Self.holds(live.json, object.json) { continue }
            pending.append(object)
        }
        guard !pending.isEmpty else { return false }
        do {
            _ = try await client.applyStaged(pending, fieldManager: "flux", establishTimeout: timeout)
        } catch {
            if case .kindNotFound = error { throw Self.missingCRDs(error) }
            throw Self.translate(error)
        }
        return true
    }

    /// Whether `live` already has every field of `applied` with the same value (fields the
    /// server added, like defaults and status, do not count).
    static func holds(_ live: KubeJSON, _ applied: KubeJSON) -> Bool {
        switch (live, applied) {
        case let (.object, .object(fields)):
            return fields.allSatisfy { field in
                field.key == "status" || live[field.key].map { holds($0, field.value) } ?? false
            }
        case let (.array(liveItems), .array(appliedItems)):
            return liveItems.count == appliedItems.count && zip(liveItems, appliedItems).allSatisfy { holds($0, $1) }
        default:
            return live == applied
        }
    }

    /// flux bootstrap's health step: the GitRepository has fetched the commit just made and the
    /// Kustomization has attempted it, each Ready; a Ready=False after the controller looked at
    /// the current generation fails with its message, as flux does.
    private func waitForSync(expectedRevision: String?) async throws(BootstrapError) {
        let name = manifests.namespace
        let reference = "\(name)/\(name)"
        let report = self.report
        for (kind, revisionPath) in [(GroupVersionKind.gitRepository, "status.artifact.revision"),
                                     (GroupVersionKind.kustomization, "status.lastAttemptedRevision")] {
            report(.waiting("waiting for \(kind.kind) \"\(reference)\" to be reconciled"))
            try await Self.mapped { () async throws(KubeError) in
                _ = try await KubeWaiter(client: client).wait(
                    for: kind, name: name, namespace: name, timeout: timeout,
                    until: { Self.synced($0, revisionPath: revisionPath, expected: expectedRevision) },
                    progress: { message in report(.progress(message)) })
            }
            report(.success("\(kind.kind) reconciled successfully"))
        }
    }

    static func synced(_ object: KubeObject?, revisionPath: String, expected: String?) -> WaitVerdict {
        guard let object else { return .keepWaiting("not found") }
        if object.json.at("spec.suspend")?.boolValue == true {
            return .failed("\(object.kind) '\(object.namespace ?? "")/\(object.name)' is suspended")
        }
        let observed = object.observedGeneration.map { $0 == object.generation } ?? false
        let ready = object.condition("Ready")
        if observed, let ready, ready.status == .false { return .failed(ready.message) }
        let revision = object.json.at(revisionPath)?.stringValue
        guard observed, ready?.status == .true, expected == nil || revision == expected else {
            let message = ready?.message ?? ""
            return .keepWaiting(message.isEmpty ? "waiting for revision \(expected ?? "")" : message)
        }
        return .done
    }

    /// flux bootstrap's last step: each controller Deployment of the components must be ready;
    /// every failure is collected into one error.
    private func confirmComponents(_ components: [KubeObject]) async throws(BootstrapError) {
        let deployments = components.filter { $0.groupVersionKind.group == "apps" && $0.kind == "Deployment" }
        guard !deployments.isEmpty else { return }
        report(.action("confirming components are healthy"))
        var failures: [String] = []
        for deployment in deployments {
            let live = try await Self.mapped { () async throws(KubeError) in
                try await client.getIfPresent(.deployment, name: deployment.name,
                                              namespace: deployment.namespace ?? manifests.namespace)
            }
            switch ObjectStatus.of(live) {
            case .current: report(.success("\(deployment.name): deployment ready"))
            case .notFound: failures.append("\(deployment.name): deployment not found")
            default: failures.append("\(deployment.name): deployment not ready")
            }
        }
        guard failures.isEmpty else {
            throw .cluster(reason: "bootstrap failed with \(failures.count) health check failure(s): "
                           + failures.joined(separator: ", "))
        }
        report(.success("all components are healthy"))
    }

    /// The object, or nil when it or its kind is absent (no Flux CRDs yet).
    private func getIfServed(_ kind: GroupVersionKind, name: String,
                             namespace: String? = nil) async throws(KubeError) -> KubeObject? {
        do {
            return try await client.getIfPresent(kind, name: name, namespace: namespace ?? manifests.namespace)
        } catch {
            if case .kindNotFound = error { return nil }
            throw error
        }
    }

    static func decodedData(_ secret: KubeObject, key: String) -> [UInt8]? {
        guard let text = secret.json.at("data")?[key]?.stringValue, let data = Data(base64Encoded: text) else { return nil }
        return Array(data)
    }

    static func mapped<T>(_ body: () async throws(KubeError) -> T) async throws(BootstrapError) -> T {
        do {
            return try await body()
        } catch {
            throw translate(error)
        }
    }

    static func translate(_ error: KubeError) -> BootstrapError {
        switch error {
        case .unreachable, .tls, .timedOut, .transport, .noConfiguration, .kubeconfigMissing:
            return .clusterUnreachable(reason: error.description)
        default:
            return .cluster(reason: error.description)
        }
    }
}
