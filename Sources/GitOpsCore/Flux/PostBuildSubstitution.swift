import Foundation

/// kustomize-controller's postBuild step for one Kustomization: the variable set (from
/// `substituteFrom` objects, then inline `substitute`) and its application to each resource
/// by expanding the resource's YAML text and reading it back (fluxcd/pkg kustomize/kustomize_varsub.go).
public struct PostBuildSubstitution: Sendable {
    static let disableKey = "kustomize.toolkit.fluxcd.io/substitute"
    static let namePattern = try? NSRegularExpression(pattern: "^[_A-Za-z][_A-Za-z0-9]*$")

    public var variables: [String: String]
    public var strategy: FluxKustomization.PostBuild.Strategy
    public var strict: Bool

    public init(variables: [String: String], strategy: FluxKustomization.PostBuild.Strategy, strict: Bool) {
        self.variables = variables
        self.strategy = strategy
        self.strict = strict
    }

    /// Validates variable names and strips newlines from values, as the controller does.
    static func checked(_ pairs: [(key: String, value: String)], object: String) throws(FluxError) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in pairs {
            let range = NSRange(name.startIndex..., in: name)
            guard namePattern?.firstMatch(in: name, range: range) != nil else {
                throw .invalidVariableName(object: object, name: name)
            }
            result[name] = value.replacingOccurrences(of: "\n", with: "")
        }
        return result
    }

    /// Whether substitution runs at all: with `WithVariables`, an empty set means no pass.
    public var runs: Bool { strategy == .always || !variables.isEmpty }

    /// The resource after substitution; unchanged when it opts out with the label or annotation.
    public func apply(to resource: YAMLNode, object: String) throws(FluxError) -> YAMLNode {
        guard runs, !Self.optsOut(resource) else { return resource }
        let envsubst = Envsubst(variables: variables, strict: strict)
        do {
            // Expanding scalar by scalar gives what expanding the YAML text gives whenever the
            // expansions cannot change the document's structure; otherwise the text path runs.
            if let expanded = try Self.expandScalars(resource, envsubst) { return expanded }
        } catch let failure {
            throw .substitution(object: object, resource: Self.label(resource), reason: failure.description)
        }
        return try applyToText(resource, object: object)
    }

    /// nil when some expansion could change the YAML structure (the text path decides then).
    static func expandScalars(_ node: YAMLNode, _ envsubst: Envsubst) throws(Envsubst.Failure) -> YAMLNode? {
        switch node.content {
        case let .scalar(text):
            guard text.utf8.contains(UInt8(ascii: "$")) else { return node }
            let expanded = try envsubst.expand(text)
            guard expanded != text else { return node }
            guard isStructurallySafe(expanded, style: node.style) else { return nil }
            var copy = node
            copy.content = .scalar(expanded)
            return copy
        case let .sequence(items):
            var result: [YAMLNode] = []
            result.reserveCapacity(items.count)
            for item in items {
                guard let expanded = try expandScalars(item, envsubst) else { return nil }
                result.append(expanded)
            }
            var copy = node
            copy.content = .sequence(result)
            return copy
        case let .mapping(pairs):
            var result: [YAMLPair] = []
            result.reserveCapacity(pairs.count)
            for pair in pairs {
                if pair.key.scalar?.utf8.contains(UInt8(ascii: "$")) == true { return nil }
                guard let value = try expandScalars(pair.value, envsubst) else { return nil }
                result.append(YAMLPair(key: pair.key, value: value))
            }
            var copy = node
            copy.content = .mapping(result)
            return copy
        }
    }

    /// The node without comments: kustomize's output has none, so the controller never
    /// expands (or fails on) a `${…}` written in a comment.
    static func withoutComments(_ node: YAMLNode) -> YAMLNode {
        var copy = node
        if !copy.comments.isEmpty { copy.comments = YAMLComments() }
        switch node.content {
        case .scalar: break
        case let .sequence(items): copy.content = .sequence(items.map(withoutComments))
        case let .mapping(pairs):
            copy.content = .mapping(pairs.map { YAMLPair(key: withoutComments($0.key), value: withoutComments($0.value)) })
        }
        return copy
    }

    /// Whether `text` in a scalar of `style` reads back as one scalar of that text (its type may
    /// change, as with the text path: `${replicas}` → 3).
    static func isStructurallySafe(_ text: String, style: YAMLStyle) -> Bool {
        let bytes = text.utf8
        if bytes.contains(UInt8(ascii: "\n")) || bytes.contains(UInt8(ascii: "\r")) { return false }
        switch style {
        case .doubleQuoted: return !bytes.contains(UInt8(ascii: "\"")) && !bytes.contains(UInt8(ascii: "\\"))
        case .singleQuoted: return !bytes.contains(UInt8(ascii: "'"))
        case .literal, .folded: return true
        default:
            guard let first = bytes.first else { return true }
            if Self.indicators.contains(first) { return false }
            var previous: UInt8 = 0
            for byte in bytes {
                // `: ` starts a mapping value, ` #` a comment.
                if (previous == UInt8(ascii: ":") && byte == UInt8(ascii: " "))
                    || (previous == UInt8(ascii: " ") && byte == UInt8(ascii: "#")) { return false }
                previous = byte
            }
            return previous != UInt8(ascii: ":") && previous != UInt8(ascii: " ")
        }
    }

    /// Characters that cannot start a plain scalar without changing what it is.
    private static let indicators: Set<UInt8> = Set("-?:,[]{}#&*!|>'\"%@` ".utf8)

    func applyToText(_ resource: YAMLNode, object: String) throws(FluxError) -> YAMLNode {
        let text = YAMLEmitter.manifest.emit(Self.withoutComments(resource))
        guard text.contains("$") else { return resource }
        let expanded: String
        do {
            expanded = try Envsubst(variables: variables, strict: strict).expand(text)
        } catch let failure {
            throw .substitution(object: object, resource: Self.label(resource), reason: failure.description)
        }
        guard expanded != text else { return resource }
        do {
            guard let root = try YAMLParser().parse(expanded, file: Self.label(resource)).documents.first?.root else {
                return resource
            }
            return root
        } catch let error {
            throw .substitution(object: object, resource: Self.label(resource),
                                reason: "the substituted resource is not valid YAML: \(error)")
        }
    }

    static func optsOut(_ resource: YAMLNode) -> Bool {
        let metadata = resource["metadata"]
        for field in ["labels", "annotations"] {
            if metadata?[field]?[disableKey]?.scalar?.lowercased() == "disabled" { return true }
        }
        return false
    }

    /// `<apiVersion>, Kind=<kind>/<name>` as the controller's error names a resource.
    static func label(_ resource: YAMLNode) -> String {
        let apiVersion = resource["apiVersion"]?.scalar ?? ""
        let parts = apiVersion.split(separator: "/", maxSplits: 1).map(String.init)
        let gv = parts.count == 2 ? "\(parts[0])/\(parts[1])" : "/\(apiVersion)"
        return "\(gv), Kind=\(resource["kind"]?.scalar ?? "")/\(resource["metadata"]?["name"]?.scalar ?? "")"
    }
}
