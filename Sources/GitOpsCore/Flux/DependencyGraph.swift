/// The `dependsOn` graph of a repository's Kustomizations and HelmReleases: the order Flux
/// can reconcile them in (layers), every cycle by name, and every dependency that does not exist.
public struct DependencyGraph: Sendable {
    /// One object and what it waits for.
    public struct Node: Sendable {
        public var key: FluxObjectKey
        public var origin: FluxOrigin
        public var dependsOn: [FluxKustomization.Reference]
    }

    /// A `dependsOn` entry naming an object that is not in the repository.
    public struct MissingDependency: Sendable, Hashable {
        public var from: FluxObjectKey
        public var target: FluxObjectKey
        public var origin: FluxOrigin
    }

    public var nodes: [Node]
    /// Reconciliation order: layer 0 depends on nothing, layer n only on earlier layers.
    /// Objects in or behind a cycle are in no layer.
    public private(set) var layers: [[FluxObjectKey]] = []
    /// Each cycle as a closed walk (`[apps, infra, apps]`), starting at its smallest key.
    public private(set) var cycles: [[FluxObjectKey]] = []
    public private(set) var missing: [MissingDependency] = []

    public init(nodes: [Node]) {
        self.nodes = nodes
        analyse()
    }

    public init(_ repo: FluxRepo) {
        let kustomizations = repo.kustomizations.map { Node(key: $0.key, origin: $0.origin, dependsOn: $0.dependsOn) }
        let releases = repo.helmReleases.map { Node(key: $0.key, origin: $0.origin, dependsOn: $0.dependsOn) }
        self.init(nodes: kustomizations + releases)
    }

    public func node(_ key: FluxObjectKey) -> Node? { nodes.first { $0.key == key } }

    private mutating func analyse() {
        let known = Set(nodes.map(\.key))
        var edges: [FluxObjectKey: [FluxObjectKey]] = [:]
        for node in nodes {
            for dependency in node.dependsOn {
                if known.contains(dependency.key) {
                    edges[node.key, default: []].append(dependency.key)
                } else {
                    missing.append(MissingDependency(from: node.key, target: dependency.key,
                                                     origin: FluxOrigin(file: node.origin.file, at: dependency.at ?? node.origin.at)))
                }
            }
        }
        cycles = Self.cycles(keys: nodes.map(\.key), edges: edges)
        layers = Self.layers(keys: nodes.map(\.key), edges: edges)
    }

    /// Kahn's algorithm by rounds; whatever never becomes ready is in or behind a cycle.
    private static func layers(keys: [FluxObjectKey], edges: [FluxObjectKey: [FluxObjectKey]]) -> [[FluxObjectKey]] {
        var placed: Set<FluxObjectKey> = []
        var remaining = keys
        var result: [[FluxObjectKey]] = []
        while true {
            let ready = remaining.filter { key in (edges[key] ?? []).allSatisfy { placed.contains($0) } }
            guard !ready.isEmpty else { break }
            result.append(ready.sorted())
            placed.formUnion(ready)
            remaining.removeAll { placed.contains($0) }
        }
        return result
    }

    /// Tarjan's strongly connected components; each component with an edge inside it is reported
    /// once, as the walk through it from its smallest member.
    private static func cycles(keys: [FluxObjectKey], edges: [FluxObjectKey: [FluxObjectKey]]) -> [[FluxObjectKey]] {
        var index = 0
        var indices: [FluxObjectKey: Int] = [:]
        var lowlink: [FluxObjectKey: Int] = [:]
        var stack: [FluxObjectKey] = []
        var onStack: Set<FluxObjectKey> = []
        var components: [[FluxObjectKey]] = []

        func connect(_ v: FluxObjectKey) {
            indices[v] = index
            lowlink[v] = index
            index += 1
            stack.append(v)
            onStack.insert(v)
            for w in edges[v] ?? [] {
                if indices[w] == nil {
                    connect(w)
                    lowlink[v] = min(lowlink[v] ?? 0, lowlink[w] ?? 0)
                } else if onStack.contains(w) {
                    lowlink[v] = min(lowlink[v] ?? 0, indices[w] ?? 0)
                }
            }
            guard lowlink[v] == indices[v] else { return }
            var component: [FluxObjectKey] = []
            while let w = stack.popLast() {
                onStack.remove(w)
                component.append(w)
                if w == v { break }
            }
            let selfLoop = component.count == 1 && (edges[v] ?? []).contains(v)
            if component.count > 1 || selfLoop { components.append(component) }
        }

        for key in keys where indices[key] == nil { connect(key) }
        return components.map { walk(through: Set($0), edges: edges) }.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// A closed walk through one component: from its smallest key, following edges inside the
    /// component (smallest first) until it returns to a key already on the walk.
    private static func walk(through component: Set<FluxObjectKey>,
                             edges: [FluxObjectKey: [FluxObjectKey]]) -> [FluxObjectKey] {
        guard let start = component.min() else { return [] }
        var path = [start]
        var current = start
        while true {
            let next = (edges[current] ?? []).filter(component.contains).sorted()
            guard let step = next.first(where: { $0 == start }) ?? next.first(where: { !path.contains($0) }) ?? next.first
            else { return path }
            path.append(step)
            if path.dropLast().contains(step) {
                // Rotate so the cycle printed is the loop itself.
                let firstIndex = path.firstIndex(of: step) ?? 0
                return Array(path[firstIndex...])
            }
            current = step
        }
    }

    /// `a → b → a`, with names only when every member shares one namespace.
    public static func describe(_ cycle: [FluxObjectKey]) -> String {
        let sameNamespace = Set(cycle.map(\.namespace)).count == 1
        return cycle.map { sameNamespace ? $0.name : "\($0.namespace)/\($0.name)" }.joined(separator: " → ")
    }
}
