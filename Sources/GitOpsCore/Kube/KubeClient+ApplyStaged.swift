extension KubeClient {
    /// Server-side applies a set of manifests the way Flux's kustomize-controller stages them:
    /// CustomResourceDefinitions and Namespaces first, then — once every CRD is Established
    /// and discovery has been read again — everything else, with bounded parallelism. This is
    /// what lets one apply create both a CRD and objects of its kind (`gotk-components.yaml` and
    /// `gotk-sync.yaml` in one go). Results come back in input order.
    ///
    /// In a dry run nothing is stored, so objects of kinds that only the set's own CRDs define
    /// cannot be checked by the server; they come back as sent.
    public func applyStaged(_ objects: [KubeObject], fieldManager: String = "gitopsctl", force: Bool = false,
                            parallelism: Int = 8, mode: WriteMode = .persist,
                            establishTimeout: Double = 60) async throws(KubeError) -> [KubeObject] {
        let first = objects.indices.filter { Self.isClusterDefinition(objects[$0]) }
        let rest = objects.indices.filter { !Self.isClusterDefinition(objects[$0]) }
        var results = [KubeObject?](repeating: nil, count: objects.count)
        let staged = try await applyAll(first.map { objects[$0] }, fieldManager: fieldManager, force: force,
                                        parallelism: parallelism, mode: mode)
        for (index, object) in zip(first, staged) { results[index] = object }

        let crds = first.filter { objects[$0].groupVersionKind == .customResourceDefinition }
        var definedHere = Set<GroupVersionKind>()
        if !crds.isEmpty {
            if mode == .persist {
                let waiter = KubeWaiter(client: self)
                for index in crds {
                    _ = try await waiter.wait(for: .customResourceDefinition, name: objects[index].name, namespace: nil,
                                              timeout: establishTimeout)
                }
            }
            invalidateDiscovery()
            definedHere = Set(crds.flatMap { Self.kinds(definedBy: objects[$0]) })
        }

        let checkable = rest.filter { mode == .persist || !definedHere.contains(objects[$0].groupVersionKind) }
        let applied = try await applyAll(checkable.map { objects[$0] }, fieldManager: fieldManager, force: force,
                                         parallelism: parallelism, mode: mode)
        for (index, object) in zip(checkable, applied) { results[index] = object }
        return results.enumerated().map { $0.element ?? objects[$0.offset] }
    }

    static func isClusterDefinition(_ object: KubeObject) -> Bool {
        object.groupVersionKind == .customResourceDefinition || object.groupVersionKind == .namespace
    }

    /// The kinds a CRD manifest serves.
    static func kinds(definedBy crd: KubeObject) -> [GroupVersionKind] {
        guard let group = crd.json.at("spec.group")?.stringValue,
              let kind = crd.json.at("spec.names.kind")?.stringValue else { return [] }
        return (crd.json.at("spec.versions")?.arrayValue ?? []).compactMap { version in
            version["name"]?.stringValue.map { GroupVersionKind(group: group, version: $0, kind: kind) }
        }
    }
}
