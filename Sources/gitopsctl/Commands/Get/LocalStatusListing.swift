import GitOpsCore

/// `get ks|hr|sources git --local`: the flux get table computed from the checkout.
enum LocalStatusListing {
    static func run(_ invocation: Invocation, kind: FluxListedKind) throws -> ExitStatus {
        let arguments = invocation.arguments
        let format = try invocation.outputFormat()
        let repo = try LocalRepository.load(invocation)
        let allNamespaces = arguments.flag("all-namespaces")
        let rows = try LocalGet.rows(repo, kind: kind, revision: LocalRepository.revision(arguments),
                                     namespace: allNamespaces ? nil : arguments.string("namespace"),
                                     name: arguments.positional(0))
        try invocation.output.render(FluxStatusTable(rows: rows, allNamespaces: allNamespaces,
                                                     showsHeader: !arguments.flag("no-header")), as: format)
        return 0
    }
}
