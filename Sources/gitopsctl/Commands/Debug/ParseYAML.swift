import GitOpsCore

extension Command {
    /// `gitopsctl debug parse-yaml FILE…`: parses each file document by document, as commands
    /// that stream manifests do, and prints a one-line summary, so `bench/cases/yaml-parse.sh`
    /// can time the parser alone.
    static let parseYAML = Command(
        name: "parse-yaml",
        abstract: "Parse YAML files and print how many documents and nodes each holds",
        positionals: [Positional(name: "FILE", kind: .file, abstract: "YAML files to parse", variadic: true)],
        options: [.flag("whole", "Hold every document of a file at once instead of one at a time")],
        hidden: true,
        body: { invocation in
            for path in invocation.arguments.positionals {
                var documents = 0, nodes = 0
                func count(_ document: YAMLDocument) {
                    documents += 1
                    nodes += document.root?.nodeCount ?? 0
                }
                if invocation.arguments.flag("whole") {
                    try YAMLParser().parseFile(atPath: path).documents.forEach(count)
                } else {
                    try YAMLParser().parseDocuments(atPath: path, count)
                }
                invocation.output.write("\(path): \(documents) documents, \(nodes) nodes\n")
            }
            return 0
        })
}
