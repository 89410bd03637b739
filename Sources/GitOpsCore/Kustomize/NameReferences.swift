/// After names changed (prefix, suffix, namespace, hash), rewrites the fields that refer to
/// objects by name, the way kustomize's name-reference transformer does (api/filters/nameref):
/// for every referrer field in the table, the renamed object the old name meant is picked by
/// the same sieves kustomize applies, in the same order, and an ambiguous pick is an error.
enum NameReferences {
    /// A field of `referrer` objects that names a `referenced` object.
    struct Rule: Sendable {
        var referenced: NameReferenceTable.Selector
        var referrer: NameReferenceTable.Selector
        var field: FieldSpec

        init(referenced: NameReferenceTable.Selector, referrer: NameReferenceTable.Selector, path: String) {
            self.referenced = referenced
            self.referrer = referrer
            field = FieldSpec(path, create: false)
        }
    }

    static func fix(_ resources: inout [KustomizeResource], extraRules: [Rule] = []) throws {
        let index = Index(resources)
        guard !index.isEmpty else { return }
        let renamedKinds = Set(index.renamed.flatMap { $0.previousIDs.map(\.gvk) })
        let rules = (NameReferenceTable.rules + extraRules).filter { rule in
            renamedKinds.contains { rule.referenced.selects($0) }
        }
        guard !rules.isEmpty else { return }
        for i in resources.indices {
            let orgGVK = resources[i].originalID.gvk
            var referrer: Referrer?
            for rule in rules where rule.referrer.selects(orgGVK) && rule.field.exists(in: resources[i].node) {
                if referrer == nil { referrer = Referrer(resources[i]) }
                guard let referrer else { continue }
                var failure: KustomizeError?
                rule.field.visit(&resources[i].node) { field in
                    do {
                        try update(&field, rule: rule, referrer: referrer, index: index)
                    } catch let error as KustomizeError {
                        failure = failure ?? error
                    } catch {}
                }
                if let failure { throw failure }
            }
        }
    }

    /// What the sieves need to know about the object holding the reference.
    struct Referrer {
        var id: ResourceID
        var clusterScoped: Bool
        var namespace: String
        var prefixes: [String]
        var suffixes: [String]
        /// Namespaces a RoleBinding's subjects name: objects there may be referred to too.
        var subjectNamespaces: Set<String>
        /// `roleRef`'s group and kind, for a binding's `roleRef/name`.
        var roleRef: NameReferenceTable.Selector?

        init(_ r: KustomizeResource) {
            id = r.id
            clusterScoped = id.gvk.isClusterScoped
            namespace = id.effectiveNamespace
            prefixes = r.namePrefixes
            suffixes = r.nameSuffixes
            subjectNamespaces = []
            if id.gvk.kind == "RoleBinding" {
                for subject in r.node["subjects"]?.items ?? [] {
                    if let ns = subject["namespace"]?.scalar { subjectNamespaces.insert(ns) }
                }
            }
            if let ref = r.node["roleRef"], let group = ref["apiGroup"]?.scalar, let kind = ref["kind"]?.scalar {
                roleRef = NameReferenceTable.Selector(group: group, kind: kind)
            }
        }
    }

    /// Objects that were renamed (or re-namespaced), found by any earlier name.
    struct Index {
        struct Candidate {
            var position: Int
            var resource: KustomizeResource
            var clusterScoped: Bool
            var namespace: String
            var originalNamespace: String
        }

        var renamed: [KustomizeResource] = []
        private var byPreviousName: [String: [Candidate]] = [:]
        private var all: [Candidate] = []

        init(_ resources: [KustomizeResource]) {
            for (position, r) in resources.enumerated() {
                let id = r.id
                let candidate = Candidate(position: position, resource: r, clusterScoped: id.gvk.isClusterScoped,
                                          namespace: id.effectiveNamespace,
                                          originalNamespace: r.originalID.effectiveNamespace)
                all.append(candidate)
                guard !r.previousIDs.isEmpty else { continue }
                renamed.append(r)
                for name in Set(r.previousIDs.map(\.name)) { byPreviousName[name, default: []].append(candidate) }
            }
        }

        var isEmpty: Bool { renamed.isEmpty }

        func named(_ name: String) -> [Candidate] { byPreviousName[name] ?? [] }

        /// kustomize's `SubsetThatCouldBeReferencedByResource`.
        static func couldBeReferenced(_ c: Candidate, by referrer: Referrer) -> Bool {
            referrer.clusterScoped || c.clusterScoped || c.namespace == referrer.namespace
                || referrer.subjectNamespaces.contains(c.resource.namespace)
        }

        /// Candidates for a `{name, namespace}` map reference: those first loaded in that
        /// namespace, else those now in it.
        func inNamespace(_ namespace: String, for referrer: Referrer) -> [Candidate] {
            let subset = all.filter { !$0.clusterScoped && Index.couldBeReferenced($0, by: referrer) }
            let original = subset.filter { $0.originalNamespace == namespace }
            return original.isEmpty ? subset.filter { $0.namespace == namespace } : original
        }
    }

    private static func update(_ field: inout YAMLNode, rule: Rule, referrer: Referrer, index: Index) throws {
        switch field.content {
        case .scalar:
            try setScalar(&field, rule: rule, referrer: referrer, index: index)
        case .mapping:
            try setMapping(&field, rule: rule, referrer: referrer, index: index)
        case .sequence(var items):
            for i in items.indices {
                if items[i].isMapping {
                    try setMapping(&items[i], rule: rule, referrer: referrer, index: index)
                } else if case .scalar = items[i].content {
                    try setScalar(&items[i], rule: rule, referrer: referrer, index: index)
                }
            }
            field.content = .sequence(items)
        }
    }

    private static func setScalar(_ field: inout YAMLNode, rule: Rule, referrer: Referrer, index: Index) throws {
        guard !field.isNullScalar, let old = field.scalar else { return }
        let candidates = index.named(old).filter { Index.couldBeReferenced($0, by: referrer) }
        guard let target = try select(old, candidates, rule: rule, referrer: referrer, sameNamespace: false) else { return }
        let name = target.resource.name
        if name != old { field = YAMLNode(string: name) }
    }

    /// A map holding `name` (and maybe `namespace`): both come from the target.
    private static func setMapping(_ field: inout YAMLNode, rule: Rule, referrer: Referrer, index: Index) throws {
        guard let old = field["name"]?.scalar else {
            throw KustomizeError.nameReference(referrer: referrer.id.description, path: rule.field.path.joined(separator: "/"),
                                               problem: "path config error; no 'name' field in node")
        }
        var candidates: [Index.Candidate]
        if let namespace = field["namespace"]?.scalar {
            candidates = index.inNamespace(namespace, for: referrer).filter { c in
                c.resource.previousIDs.contains { $0.name == old }
            }
        } else {
            candidates = index.named(old).filter { Index.couldBeReferenced($0, by: referrer) }
        }
        guard let target = try select(old, candidates, rule: rule, referrer: referrer, sameNamespace: true) else { return }
        let name = target.resource.name, namespace = target.resource.namespace
        if name == old && namespace.isEmpty { return }
        field["name"] = YAMLNode(string: name)
        if !namespace.isEmpty { field["namespace"] = YAMLNode(string: namespace) }
    }

    /// kustomize's `selectReferral`: candidates already match the old name; keep those of the
    /// referenced kind (and `roleRef`'s kind), in reach of the referrer, then prefer those
    /// prefixed and suffixed like the referrer.
    private static func select(_ old: String, _ candidates: [Index.Candidate], rule: Rule, referrer: Referrer,
                               sameNamespace: Bool) throws -> Index.Candidate? {
        let isRoleRef = rule.field.path.suffix(2) == ["roleRef", "name"]
        var list = candidates.sorted { $0.position < $1.position }.filter { c in
            let ids = c.resource.previousIDs
            guard ids.contains(where: { rule.referenced.selects($0.gvk) }) else { return false }
            if isRoleRef, let roleRef = referrer.roleRef, !ids.contains(where: { roleRef.selects($0.gvk) }) { return false }
            if referrer.clusterScoped || c.clusterScoped || c.resource.kind == "ServiceAccount" { return true }
            return c.namespace == referrer.namespace
        }
        if list.count == 1 { return list[0] }
        list = list.filter { affixesMatch($0.resource, referrer, allowEmpty: true) }
        if list.count > 1 { list = list.filter { affixesMatch($0.resource, referrer, allowEmpty: false) } }
        guard let first = list.first else { return nil }
        if list.count == 1 { return first }
        let identical = list.allSatisfy { c in
            c.resource.name == first.resource.name && (!sameNamespace || c.resource.namespace == first.resource.namespace)
        }
        if identical { return first }
        throw KustomizeError.nameReference(
            referrer: referrer.id.description, path: rule.field.path.joined(separator: "/"),
            problem: "found multiple possible referrals: " + list.map(\.resource.id.description).joined(separator: ", "))
    }

    private static func affixesMatch(_ r: KustomizeResource, _ referrer: Referrer, allowEmpty: Bool) -> Bool {
        func same(_ a: [String], _ b: [String]) -> Bool {
            if allowEmpty && (a.isEmpty || b.isEmpty) { return true }
            let (short, long) = a.count <= b.count ? (a, b) : (b, a)
            if short.isEmpty { return long.isEmpty }
            return Array(long.suffix(short.count)) == short
        }
        return same(r.namePrefixes, referrer.prefixes) && same(r.nameSuffixes, referrer.suffixes)
    }
}
