/// Makes the ConfigMap or Secret a generator entry describes, reading its files relative to
/// the kustomization directory.
struct Generator {
    let directory: String
    let file: String
    let loader: FileLoader

    func generate(_ spec: GeneratorSpec, globalOptions: GeneratorOptions?) throws -> KustomizeResource {
        let options = spec.options.overriding(globalOptions)
        var entries: [(key: String, value: [UInt8])] = []
        for env in spec.envs {
            let path = try loader.resolveFile(env, in: directory, from: file)
            let use: KustomizeSourceUse = spec.kind == .secret ? .secretEnv : .configMapSource
            entries += try envEntries(String(decoding: try loader.readSource(path, use: use), as: UTF8.self), spec: spec)
        }
        for literal in spec.literals {
            entries.append(try literalEntry(literal, spec: spec))
        }
        for entry in spec.files {
            let (key, path) = fileKey(entry)
            let resolved = try loader.resolveFile(path, in: directory, from: file)
            let use: KustomizeSourceUse = spec.kind == .secret ? .secretFile(key: key) : .configMapSource
            entries.append((key, try loader.readSource(resolved, use: use)))
        }
        var seen = Set<String>()
        for entry in entries where !seen.insert(entry.key).inserted {
            throw KustomizeError.generator(file: file, name: spec.name,
                                           problem: "cannot add key \(entry.key), another key by that name already exists")
        }
        var node = YAMLNode(mapping: [])
        node["apiVersion"] = "v1"
        node["kind"] = YAMLNode(string: spec.kind == .configMap ? "ConfigMap" : "Secret")
        var metadata = YAMLNode(mapping: [YAMLPair("name", YAMLNode(string: spec.name))])
        if let ns = spec.namespace, !ns.isEmpty { metadata["namespace"] = YAMLNode(string: ns) }
        if !options.labels.isEmpty { metadata["labels"] = stringMapping(options.labels) }
        if !options.annotations.isEmpty { metadata["annotations"] = stringMapping(options.annotations) }
        node["metadata"] = metadata
        let sorted = entries.sorted { $0.key < $1.key }
        switch spec.kind {
        case .configMap:
            let text = sorted.filter { String(validating: $0.value, as: UTF8.self) != nil }
            let binary = sorted.filter { String(validating: $0.value, as: UTF8.self) == nil }
            if !text.isEmpty {
                node["data"] = YAMLNode(mapping: text.map { YAMLPair($0.key, YAMLNode(string: String(decoding: $0.value, as: UTF8.self))) })
            }
            if !binary.isEmpty {
                node["binaryData"] = YAMLNode(mapping: binary.map { YAMLPair($0.key, YAMLNode(string: base64($0.value))) })
            }
        case .secret:
            node["type"] = YAMLNode(string: spec.type ?? "Opaque")
            if !sorted.isEmpty {
                node["data"] = YAMLNode(mapping: sorted.map { YAMLPair($0.key, YAMLNode(string: wrappedBase64($0.value))) })
            }
        }
        if options.immutable == true { node["immutable"] = YAMLNode(bool: true) }
        var resource = KustomizeResource(node: node, origin: file)
        resource.generator = .init(behavior: spec.behavior, appendHash: options.disableNameSuffixHash != true)
        resource.generatedBy = spec.kind == .configMap ? "ConfigMapGenerator" : "SecretGenerator"
        return resource
    }

    private func stringMapping(_ pairs: [(String, String)]) -> YAMLNode {
        YAMLNode(mapping: pairs.map { YAMLPair($0.0, YAMLNode(string: $0.1)) })
    }

    private func base64(_ bytes: [UInt8]) -> String {
        String(decoding: Base64.encode(bytes, padded: true), as: UTF8.self)
    }

    /// Secret values as kustomize encodes them (api/kv encodeBase64): in 70-character lines,
    /// each ending in a newline, once the encoding is 70 characters or longer.
    private func wrappedBase64(_ bytes: [UInt8]) -> String {
        let encoded = base64(bytes)
        guard encoded.count >= 70 else { return encoded }
        var out = ""
        var rest = Substring(encoded)
        while !rest.isEmpty {
            out += rest.prefix(70) + "\n"
            rest = rest.dropFirst(70)
        }
        return out
    }

    /// `key=path` or a path whose base name is the key.
    private func fileKey(_ entry: String) -> (String, String) {
        if let eq = entry.firstIndex(of: "=") {
            return (String(entry[..<eq]), String(entry[entry.index(after: eq)...]))
        }
        let base = entry.split(separator: "/").last.map(String.init) ?? entry
        return (base, entry)
    }

    /// `K=V`; a value wrapped in matching quotes loses them (kustomize kv.go parseLiteralSource).
    private func literalEntry(_ literal: String, spec: GeneratorSpec) throws -> (key: String, value: [UInt8]) {
        guard let eq = literal.firstIndex(of: "="), eq != literal.startIndex else {
            throw KustomizeError.generator(file: file, name: spec.name,
                                           problem: "invalid literal source \(literal), expected key=value")
        }
        let key = String(literal[..<eq])
        var value = String(literal[literal.index(after: eq)...])
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return (key, Array(value.utf8))
    }

    /// An env file as kustomize v5 reads it (api/kv/kv.go): lines split at LF (a CR before
    /// it dropped), leading whitespace trimmed, blank and `#` lines skipped, the key is what
    /// precedes the first `=` unchecked (`export A=1` has the key `export A`), a line without
    /// `=` has the empty value (v5 no longer reads the environment) and an empty key is skipped.
    private func envEntries(_ text: String, spec: GeneratorSpec) throws -> [(key: String, value: [UInt8])] {
        var out: [(key: String, value: [UInt8])] = []
        var body = Substring(text).unicodeScalars
        if body.first == "\u{FEFF}" { body = body.dropFirst() }
        for rawLine in body.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = rawLine
            if line.last == "\r" { line = line.dropLast() }
            let trimmed = line.drop { $0.properties.isWhitespace }
            if trimmed.isEmpty || trimmed.first == "#" { continue }
            let key: String, value: String
            if let eq = trimmed.firstIndex(of: "=") {
                key = String(String.UnicodeScalarView(trimmed[..<eq]))
                value = String(String.UnicodeScalarView(trimmed[trimmed.index(after: eq)...]))
            } else {
                key = String(String.UnicodeScalarView(trimmed))
                value = ""
            }
            if key.isEmpty { continue }
            out.append((key, Array(value.utf8)))
        }
        return out
    }
}
