/// Reads typed fields out of a Flux object's YAML node, turning every shape problem into a
/// `FluxError.invalidField` that names the file, the field's `line:col` and its dotted path.
struct FluxFieldReader {
    var node: YAMLNode
    var origin: FluxOrigin
    var object: String

    func error(_ path: String, _ problem: String, at node: YAMLNode? = nil) -> FluxError {
        .invalidField(file: origin.file, at: node?.source.start ?? origin.at, object: object, field: path,
                      problem: problem)
    }

    /// The node at a dotted path (`spec.sourceRef.name`), nil when any step is absent or null.
    func node(_ path: String) -> YAMLNode? {
        var current: YAMLNode? = node
        var start = path.startIndex
        while let node = current, start < path.endIndex {
            let end = path[start...].firstIndex(of: ".") ?? path.endIndex
            current = node[String(path[start..<end])]
            start = end < path.endIndex ? path.index(after: end) : end
        }
        if let current, current.isScalar, current.isNull { return nil }
        return current
    }

    /// The closest existing ancestor of `path`, for pointing at where a missing field belongs.
    func nearest(_ path: String) -> YAMLNode? {
        var parts = path.split(separator: ".").map(String.init)
        while !parts.isEmpty {
            parts.removeLast()
            if let found = node(parts.joined(separator: ".")) { return found }
        }
        return node
    }

    /// The checks every Flux object starts with: a served apiVersion (the first is the storage
    /// version named in the error), a name, and the required `spec.interval`.
    func header(apiVersions: [String]) throws(FluxError) -> FluxDuration {
        let apiVersion = try requiredString("apiVersion")
        guard apiVersions.contains(apiVersion) else {
            throw error("apiVersion", "unsupported apiVersion \"\(apiVersion)\", expected \(apiVersions[0])",
                        at: node("apiVersion"))
        }
        _ = try requiredString("metadata.name")
        guard let interval = try duration("spec.interval") else {
            throw error("spec.interval", "required field is missing", at: nearest("spec.interval"))
        }
        return interval
    }

    func string(_ path: String) throws(FluxError) -> String? {
        guard let value = node(path) else { return nil }
        guard value.isScalar else { throw error(path, "expected a string", at: value) }
        return value.scalar
    }

    func requiredString(_ path: String) throws(FluxError) -> String {
        guard let value = try string(path), !value.isEmpty else {
            throw error(path, "required field is missing", at: nearest(path))
        }
        return value
    }

    func bool(_ path: String) throws(FluxError) -> Bool? {
        guard let value = node(path) else { return nil }
        guard let flag = value.bool() else { throw error(path, "expected true or false", at: value) }
        return flag
    }

    func duration(_ path: String) throws(FluxError) -> FluxDuration? {
        guard let text = try string(path) else { return nil }
        guard let duration = FluxDuration(text) else {
            throw error(path, "invalid duration \"\(text)\", expected e.g. 30s, 5m, 1h30m", at: node(path))
        }
        return duration
    }

    func sequence(_ path: String) throws(FluxError) -> [YAMLNode] {
        guard let value = node(path) else { return [] }
        guard value.isSequence else { throw error(path, "expected a list", at: value) }
        return value.items
    }

    func stringMap(_ path: String) throws(FluxError) -> [(key: String, value: String)] {
        guard let value = node(path) else { return [] }
        guard value.isMapping else { throw error(path, "expected a map of strings", at: value) }
        var result: [(key: String, value: String)] = []
        for pair in value.entries {
            guard let key = pair.key.scalar, let text = pair.value.scalar else {
                throw error(path, "expected a map of strings", at: pair.value)
            }
            result.append((key, pair.value.isNull ? "" : text))
        }
        return result
    }

    /// A reader for one item of a list, with its index in the path.
    func item(_ item: YAMLNode, of path: String, index: Int) -> (reader: FluxFieldReader, path: String) {
        (FluxFieldReader(node: item, origin: origin, object: object), "\(path)[\(index)]")
    }

    /// Checks `kind` is one of `allowed`, as the CRD's enum does.
    func kind(_ path: String, allowed: [String]) throws(FluxError) -> String {
        let kind = try requiredString(path)
        guard allowed.contains(kind) else {
            throw error(path, "unsupported kind \"\(kind)\", expected one of \(allowed.joined(separator: ", "))",
                        at: node(path))
        }
        return kind
    }
}
