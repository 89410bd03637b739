import GitOpsCore

/// `get ks|hr --local`: the flux get table computed from the checkout.
enum LocalStatusListing {
    static func run(_ invocation: Invocation, kind: LocalGet.Kind) throws -> ExitStatus {
        let arguments = invocation.arguments
        let format = try invocation.outputFormat()
        let repo = try LocalRepository.load(invocation)
        let allNamespaces = arguments.flag("all-namespaces")
        let rows = try LocalGet.rows(repo, kind: kind, revision: LocalRepository.revision(arguments),
                                     namespace: allNamespaces ? nil : arguments.string("namespace"),
                                     name: arguments.positional(0))
        try invocation.output.render(LocalStatusTable(rows: rows, allNamespaces: allNamespaces,
                                                      showsHeader: !arguments.flag("no-header"),
                                                      shortensHashes: kind == .kustomization), as: format)
        return 0
    }
}

/// NAME, REVISION, SUSPENDED, READY, MESSAGE (NAMESPACE first with `-A`), like `flux get`.
struct LocalStatusTable: TableRenderable {
    var rows: [LocalStatusRow]
    var allNamespaces: Bool
    var showsHeader: Bool
    var shortensHashes: Bool

    var table: Table {
        let header = (allNamespaces ? ["namespace"] : []) + ["name", "revision", "suspended", "ready", "message"]
        let cells = rows.map { row in
            (allNamespaces ? [row.namespace] : []) + [row.name, shorten(row.revision), row.suspended ? "True" : "False",
                                                      row.ready, row.message]
        }
        return Table(header: header, rows: cells, showsHeader: showsHeader)
    }

    /// flux get cuts commit hashes to 8 characters for Kustomizations and sources.
    private func shorten(_ revision: String) -> String {
        guard shortensHashes, let range = revision.range(of: "sha1:") else { return revision }
        let hash = revision[range.upperBound...]
        guard hash.count >= 40 else { return revision }
        return String(revision[..<range.upperBound]) + hash.prefix(8)
    }

    var document: Document {
        .array(rows.map { row in
            ["namespace": .string(row.namespace), "name": .string(row.name), "revision": .string(row.revision),
             "suspended": .bool(row.suspended), "ready": .string(row.ready), "message": .string(row.message)]
        })
    }
}
