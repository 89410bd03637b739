import Foundation

/// One Kustomization's local reconcile: build, check kinds, staged apply, health, prune, status.
struct LocalReconcileRun: Sendable {
    let client: KubeClient
    let events: WorkflowEvents
    let repo: FluxRepo
    let kustomization: FluxKustomization
    let decryptor: (any SopsDecrypting)?
    let revision: String
    let options: LocalReconcileOptions

    var mode: WriteMode { options.dryRun ? .dryRun : .persist }
    var name: String { "\(kustomization.key.namespace)/\(kustomization.key.name)" }

    func execute() async throws(LocalReconcileError) -> [LocalReconcileChange] {
        events(.action("reconciling Kustomization \(name)\(options.dryRun ? " (server dry run)" : "")"))
        let objects = try build()
        let definedHere = Set(objects.filter { $0.groupVersionKind == .customResourceDefinition }
            .flatMap(KubeClient.kinds(definedBy:)))
        let unserved = try await unservedKinds(objects, definedHere: definedHere)
        var changes = try await apply(objects, definedHere: definedHere, unserved: unserved)
        if !options.dryRun { try await checkHealth(objects) }
        let current = Set(objects.map { Self.entry($0).id })
        let live = try await liveKustomization()
        // As kustomize-controller: `spec.prune` decides, unless the command line overrides it.
        if options.prune ?? kustomization.prune, let live {
            changes += try await prune(previous: Self.inventory(live), keeping: current)
        }
        if let live, !options.dryRun { try await writeStatus(live, objects) }
        events(.success("Kustomization \(name) \(options.dryRun ? "dry run finished" : "reconciled")"))
        return changes
    }

    // MARK: - Build

    private func build() throws(LocalReconcileError) -> [KubeObject] {
        let built: [YAMLNode]
        do {
            built = try BuildKustomization.objects(repo, name: kustomization.key.name,
                                                   namespace: kustomization.key.namespace,
                                                   secrets: decryptor.map { .decrypt($0) } ?? .keepEncrypted)
        } catch {
            throw .build(error.description)
        }
        for object in built where object["kind"]?.scalar == "Secret" {
            // Whole-object SOPS always needs a key, as in the controller; data values that are
            // SOPS files need one when this Kustomization decrypts (without `spec.decryption`,
            // or with the opt-out annotation, the controller applies them as they are).
            let decryptsNested = kustomization.decrypts && !BuildKustomization.decryptionDisabled(object)
            let nested = decryptsNested ? SopsNestedDocument.documents(inDataOf: object) : []
            guard SopsObject.isEncrypted(object) || !nested.isEmpty else { continue }
            let metadata = SopsObject.isEncrypted(object) ? [object["sops"]] : []
            let recipients = metadata.flatMap { ($0?["age"]?.items ?? []).compactMap { $0["recipient"]?.scalar } }
                + nested.flatMap { Self.ageRecipients(in: $0.bytes) }
            let kube = KubeObject(KubeJSON(yaml: object))
            throw .encryptedSecret(object: "Secret/\(kube.namespace ?? "")/\(kube.name)",
                                   kustomization: name, recipients: recipients)
        }
        return built.map { KubeObject(KubeJSON(yaml: $0)) }
    }

    /// The age recipients named in a SOPS document of any store (`recipient: age1…` in YAML,
    /// `"recipient": "age1…"` in JSON, `sops_age__list_0__map_recipient=age1…` in dotenv).
    static func ageRecipients(in document: [UInt8]) -> [String] {
        let text = String(decoding: document, as: UTF8.self)
        var found: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: "recipient") {
            rest = rest[range.upperBound...]
            let value = rest.drop { $0 == "\"" || $0 == ":" || $0 == "=" || $0 == " " }
            let recipient = value.prefix { $0.isLetter || $0.isNumber }
            if recipient.hasPrefix("age1"), !found.contains(String(recipient)) { found.append(String(recipient)) }
        }
        return found
    }

    /// Every kind must be served by the cluster or by a CRD of this build, before anything is applied.
    private func unservedKinds(_ objects: [KubeObject], definedHere: Set<GroupVersionKind>)
        async throws(LocalReconcileError) -> Set<GroupVersionKind> {
        var seen = Set<GroupVersionKind>(), unserved = Set<GroupVersionKind>(), missing: [String] = []
        for object in objects where seen.insert(object.groupVersionKind).inserted {
            do {
                _ = try await client.resource(for: object.groupVersionKind)
            } catch {
                guard case .kindNotFound = error else { throw .cluster(error) }
                unserved.insert(object.groupVersionKind)
                if !definedHere.contains(object.groupVersionKind) {
                    missing.append("\(object.kind) (\(object.apiVersion)) for \(object.reference)")
                }
            }
        }
        if !missing.isEmpty { throw .missingKinds(kustomization: name, kinds: missing) }
        return unserved
    }

    // MARK: - Apply

    private func apply(_ objects: [KubeObject], definedHere: Set<GroupVersionKind>,
                       unserved: Set<GroupVersionKind>) async throws(LocalReconcileError) -> [LocalReconcileChange] {
        let first = objects.indices.filter { KubeClient.isClusterDefinition(objects[$0]) }
        let rest = objects.indices.filter { !KubeClient.isClusterDefinition(objects[$0]) }
        var done: [Int] = []
        var changes: [LocalReconcileChange] = []
        let firstChanges = try await stage(first, objects, done: &done)
        changes += firstChanges
        // Namespaces this dry run would create do not exist yet either: the server cannot check
        // what goes into them (it answers NotFound), so, like the kinds of new CRDs, their
        // objects are reported as created.
        let createdNamespaces = Set(zip(first, firstChanges).compactMap { index, change in
            objects[index].groupVersionKind == .namespace && change.action == .created ? objects[index].name : nil
        })
        let crds = first.filter { objects[$0].groupVersionKind == .customResourceDefinition }
        if !crds.isEmpty, !options.dryRun {
            let waiter = KubeWaiter(client: client)
            for index in crds {
                _ = try await cluster { try await waiter.wait(for: .customResourceDefinition, name: objects[index].name,
                                                              namespace: nil, timeout: 60) }
            }
            client.invalidateDiscovery()
        }
        // In a dry run the CRDs were not stored: their objects cannot be checked by the server.
        let checkable = rest.filter {
            !options.dryRun || (!unserved.contains(objects[$0].groupVersionKind)
                                && !createdNamespaces.contains(objects[$0].namespace ?? ""))
        }
        for index in rest where !checkable.contains(index) {
            changes.append(LocalReconcileChange(reference: objects[index].reference, action: .created))
        }
        changes += try await stage(checkable, objects, done: &done)
        return changes
    }

    /// Applies one stage as fluxcd/pkg ssa's `ApplyAll` does: first every object is read, its
    /// switches honoured, dry-run applied and compared with the live one (in parallel); only
    /// when all of that passed are the drifted objects applied, so an invalid or forbidden object
    /// stops the stage before it changes anything. On failure, says what was and was not applied.
    private func stage(_ indices: [Int], _ objects: [KubeObject], done: inout [Int])
        async throws(LocalReconcileError) -> [LocalReconcileChange] {
        let planner = LocalApplyPlanner(client: client, fieldManager: LocalReconciler.fieldManager,
                                        dryRun: options.dryRun,
                                        specForce: kustomization.node["spec"]?["force"]?.scalar?.lowercased() == "true")
        let plans = await BoundedParallel.map(indices.count, width: options.parallelism) { position in
            try await planner.plan(objects[indices[position]])
        }.map { $0 ?? .failure(.transport(server: "", reason: "not run")) }
        try check(zip(indices, plans).map { ($0, $1.map { _ in () }) }, objects, done: done)
        let planned = plans.compactMap { try? $0.get() }
        guard !options.dryRun else { return planned.map(\.change) }
        let client = self.client
        let toApply = indices.indices.filter { planned[$0].apply }
        let results = await BoundedParallel.map(toApply.count, width: options.parallelism) { slot in
            _ = try await client.apply(objects[indices[toApply[slot]]], fieldManager: LocalReconciler.fieldManager,
                                       force: true, mode: .persist)
        }.map { $0 ?? .failure(.transport(server: "", reason: "not run")) }
        let applied = Set(zip(toApply, results).compactMap { position, result in
            (try? result.get()).map { indices[position] }
        })
        done += indices.enumerated().filter { !planned[$0.offset].apply || applied.contains($0.element) }.map(\.element)
        try check(zip(toApply, results).map { (indices[$0], $1) }, objects, done: done)
        return planned.map(\.change)
    }

    /// Throws `applyFailed` when any of the outcomes failed.
    private func check(_ outcomes: [(Int, Result<Void, KubeError>)], _ objects: [KubeObject], done: [Int])
        throws(LocalReconcileError) {
        let failed = outcomes.compactMap { index, result -> ObjectFailure? in
            guard case let .failure(error) = result else { return nil }
            return ObjectFailure(reference: objects[index].reference, error: error)
        }
        guard !failed.isEmpty else { return }
        let applied = done.map { objects[$0].reference }
        let notApplied = objects.indices.filter { !done.contains($0) }.map { objects[$0].reference }
        throw .applyFailed(kustomization: name, failed: failed, applied: applied, notApplied: notApplied)
    }

    // MARK: - Health

    private func checkHealth(_ objects: [KubeObject]) async throws(LocalReconcileError) {
        var targets: [(GroupVersionKind, String, String?)] = []
        if kustomization.wait {
            targets = objects.filter { $0.groupVersionKind != .kustomization || $0.name != kustomization.key.name }
                .map { ($0.groupVersionKind, $0.name, $0.namespace) }
        } else {
            for check in kustomization.node["spec"]?["healthChecks"]?.items ?? [] {
                guard let apiVersion = check["apiVersion"]?.scalar, let kind = check["kind"]?.scalar,
                      let name = check["name"]?.scalar else { continue }
                targets.append((GroupVersionKind(apiVersion: apiVersion, kind: kind), name, check["namespace"]?.scalar))
            }
        }
        guard !targets.isEmpty else { return }
        let timeout = options.timeout ?? Double(kustomization.timeout.milliseconds) / 1000
        events(.waiting("waiting for \(targets.count) object(s) of Kustomization \(name) to be healthy"))
        let waiter = KubeWaiter(client: client)
        for (kind, objectName, namespace) in targets {
            do {
                _ = try await waiter.wait(for: kind, name: objectName, namespace: namespace, timeout: timeout,
                                        progress: { message in events(.progress(message)) })
            } catch {
                throw .healthCheckFailed(kustomization: name, reason: error.description)
            }
        }
        events(.success("health check passed for Kustomization \(name)"))
    }

    // MARK: - Prune

    /// kustomize-controller's garbage collection (`deleteObjects`): what the previous inventory
    /// had and this build lacks, in reverse apply order, deleted in the background when the live
    /// object still carries both of this Kustomization's owner labels and none of `prune:
    /// disabled`, `reconcile: disabled`, `ssa: Ignore`. Upstream exempts no kind: a CRD or
    /// Namespace that left the build is deleted like anything else.
    private func prune(previous: [InventoryEntry], keeping current: Set<String>)
        async throws(LocalReconcileError) -> [LocalReconcileChange] {
        var changes: [LocalReconcileChange] = []
        let stale = previous.filter { !current.contains($0.id) }.sorted(by: InventoryEntry.applyOrder).reversed()
        for entry in stale {
            let kind = GroupVersionKind(group: entry.group, version: entry.version, kind: entry.kind)
            let namespace = entry.namespace.isEmpty ? nil : entry.namespace
            guard let object = try await cluster({ try await client.getIfPresent(kind, name: entry.name,
                                                                                  namespace: namespace) }),
                  mayPrune(object) else { continue }
            _ = try await cluster { try await client.delete(kind, name: entry.name, namespace: namespace,
                                                            propagation: .background, mode: mode) }
            changes.append(LocalReconcileChange(reference: object.reference, action: .pruned))
        }
        return changes
    }

    private func mayPrune(_ object: KubeObject) -> Bool {
        object.labels["kustomize.toolkit.fluxcd.io/name"] == kustomization.key.name
            && object.labels["kustomize.toolkit.fluxcd.io/namespace"] == kustomization.key.namespace
            && !LocalApplySwitches.keptFromPrune(object)
    }

    // MARK: - Inventory and status

    static func entry(_ object: KubeObject) -> InventoryEntry {
        let gvk = object.groupVersionKind
        return InventoryEntry(group: gvk.group, version: gvk.version, kind: object.kind,
                              namespace: object.namespace ?? "", name: object.name)
    }

    /// `status.inventory.entries` of the live Kustomization (ids `ns_name_group_kind`, spec §3.1).
    static func inventory(_ live: KubeObject) -> [InventoryEntry] {
        (live.json.at("status.inventory.entries")?.arrayValue ?? []).compactMap { item in
            guard let id = item["id"]?.stringValue else { return nil }
            let parts = id.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 4, let kind = parts.last else { return nil }
            let group = parts[parts.count - 2]
            var stored = parts[1..<(parts.count - 2)].joined(separator: "_")
            if group == "rbac.authorization.k8s.io" { stored = stored.replacingOccurrences(of: "__", with: ":") }
            return InventoryEntry(group: group, version: item["v"]?.stringValue ?? "", kind: kind,
                                  namespace: parts[0], name: stored)
        }
    }

    /// The Kustomization in the cluster, if any; a cluster without Flux's CRDs has none (the
    /// point of --local), so an unserved kind is not an error here.
    private func liveKustomization() async throws(LocalReconcileError) -> KubeObject? {
        do {
            return try await client.getIfPresent(.kustomization, name: kustomization.key.name,
                                                 namespace: kustomization.key.namespace)
        } catch {
            if case .kindNotFound = error { return nil }
            throw .cluster(error)
        }
    }

    /// The status kustomize-controller writes after a successful apply.
    private func writeStatus(_ live: KubeObject, _ objects: [KubeObject]) async throws(LocalReconcileError) {
        let entries = objects.map(Self.entry).sorted(by: InventoryEntry.applyOrder)
        let now = ISO8601DateFormatter().string(from: Date())
        let ready: KubeJSON = .object([
            ("type", .string("Ready")), ("status", .string("True")), ("reason", .string("ReconciliationSucceeded")),
            ("message", .string("Applied revision: \(revision)")), ("lastTransitionTime", .string(now)),
            ("observedGeneration", .int(live.generation ?? 1)),
        ])
        let status: KubeJSON = .object([
            ("observedGeneration", .int(live.generation ?? 1)),
            ("lastAppliedRevision", .string(revision)),
            ("conditions", .array([ready])),
            ("inventory", .object([("entries", .array(entries.map { entry in
                .object([("id", .string(entry.id)), ("v", .string(entry.version))])
            }))])),
        ])
        _ = try await cluster {
            try await client.patch(.kustomization, name: kustomization.key.name, namespace: kustomization.key.namespace,
                                   .merge(.object([("status", status)])), status: true, fieldManager: LocalReconciler.fieldManager)
        }
    }

    private func cluster<T>(_ body: () async throws -> T) async throws(LocalReconcileError) -> T {
        do { return try await body() } catch let error as KubeError { throw .cluster(error) } catch {
            throw .cluster(.transport(server: client.transport.serverName, reason: "\(error)"))
        }
    }
}
