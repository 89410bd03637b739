import GitOpsCore

/// The `get` table flux prints: NAME, REVISION, SUSPENDED, READY, MESSAGE (NAMESPACE first
/// with `-A`). JSON and YAML carry the same fields per object.
struct FluxStatusTable: TableRenderable {
    var rows: [FluxStatusRow]
    var allNamespaces: Bool
    var showsHeader: Bool

    var table: Table {
        let header = (allNamespaces ? ["namespace"] : []) + ["name", "revision", "suspended", "ready", "message"]
        let cells = rows.map { row in
            (allNamespaces ? [row.namespace] : []) + [row.name, row.revision, row.suspended ? "True" : "False",
                                                      row.ready, row.message]
        }
        return Table(header: header, rows: cells, showsHeader: showsHeader)
    }

    var document: Document {
        .array(rows.map { row in
            ["namespace": .string(row.namespace), "name": .string(row.name), "revision": .string(row.revision),
             "suspended": .bool(row.suspended), "ready": .string(row.ready), "message": .string(row.message)]
        })
    }
}

/// The cluster path shared by `get ks`, `get hr` and `get sources git`: kubeconfig → client →
/// list → table.
enum ClusterStatusListing {
    static func run(_ invocation: Invocation, kind: FluxListedKind) async throws -> ExitStatus {
        let arguments = invocation.arguments
        if arguments.flag("local") { return try LocalStatusListing.run(invocation, kind: kind) }
        let format = try invocation.outputFormat()
        var statusSelector: StatusSelector?
        if let text = arguments.string("status-selector") { statusSelector = try StatusSelector(parsing: text) }
        let source = KubeconfigSource(explicitPath: arguments.string("kubeconfig"), context: arguments.string("context"))
        let transport = try invocation.kubeTransport(source)
        let allNamespaces = arguments.flag("all-namespaces")
        let rows = try await FluxStatusListing(client: KubeClient(transport: transport)).rows(
            kind, namespace: allNamespaces ? nil : arguments.string("namespace"), name: arguments.positional(0),
            labelSelector: arguments.string("selector"), statusSelector: statusSelector)
        try invocation.output.render(FluxStatusTable(rows: rows, allNamespaces: allNamespaces,
                                                     showsHeader: !arguments.flag("no-header")), as: format)
        return 0
    }
}
