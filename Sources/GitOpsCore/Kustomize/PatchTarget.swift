import Foundation

/// A patch or replacement target selector. `group`, `version`, `kind`, `name` and `namespace`
/// are anchored regular expressions; the selectors use Kubernetes label-selector syntax.
struct PatchTarget: Sendable {
    var group: String?
    var version: String?
    var kind: String?
    var name: String?
    var namespace: String?
    var labelSelector: LabelSelector?
    var annotationSelector: LabelSelector?

    init(node: YAMLNode, file: String) throws {
        group = node["group"]?.scalar
        version = node["version"]?.scalar
        kind = node["kind"]?.scalar
        name = node["name"]?.scalar
        namespace = node["namespace"]?.scalar
        labelSelector = try node["labelSelector"]?.scalar.map { try LabelSelector(parsing: $0, file: file) }
        annotationSelector = try node["annotationSelector"]?.scalar.map { try LabelSelector(parsing: $0, file: file) }
    }

    var description: String {
        [group, version, kind, namespace, name].compactMap { $0 }.joined(separator: "/")
    }

    func selects(_ resource: KustomizeResource) -> Bool {
        let gvk = resource.gvk
        guard PatchTarget.fullMatch(group, gvk.group), PatchTarget.fullMatch(version, gvk.version),
              PatchTarget.fullMatch(kind, gvk.kind) else { return false }
        // A resource may be selected by its current name or any earlier one (kustomize
        // matches patches against previous names too).
        let ids = [resource.id] + resource.previousIDs
        guard ids.contains(where: { PatchTarget.fullMatch(name, $0.name) && PatchTarget.fullMatch(namespace, $0.namespace) })
        else { return false }
        if let labelSelector, !labelSelector.matches(resource.labels) { return false }
        if let annotationSelector, !annotationSelector.matches(resource.annotations) { return false }
        return true
    }

    static func fullMatch(_ pattern: String?, _ value: String) -> Bool {
        guard let pattern, !pattern.isEmpty else { return true }
        if pattern == value { return true }
        guard let regex = try? NSRegularExpression(pattern: "^(?:" + pattern + ")$") else { return false }
        return regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
    }
}

/// A Kubernetes label selector string: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`,
/// `a`, `!a`, comma separated.
struct LabelSelector: Sendable {
    enum Requirement: Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, [String])
        case notIn(String, [String])
        case exists(String)
        case notExists(String)
    }

    var requirements: [Requirement]

    init(parsing text: String, file: String) throws {
        requirements = []
        for part in LabelSelector.splitTopLevel(text) {
            let p = part.trimmingCharacters(in: .whitespaces)
            if p.isEmpty { continue }
            if let r = p.range(of: " notin ") {
                requirements.append(.notIn(String(p[..<r.lowerBound]).trimmingCharacters(in: .whitespaces), LabelSelector.values(p[r.upperBound...])))
            } else if let r = p.range(of: " in ") {
                requirements.append(.isIn(String(p[..<r.lowerBound]).trimmingCharacters(in: .whitespaces), LabelSelector.values(p[r.upperBound...])))
            } else if let r = p.range(of: "!=") {
                requirements.append(.notEquals(trim(p[..<r.lowerBound]), trim(p[r.upperBound...])))
            } else if let r = p.range(of: "==") {
                requirements.append(.equals(trim(p[..<r.lowerBound]), trim(p[r.upperBound...])))
            } else if let r = p.range(of: "=") {
                requirements.append(.equals(trim(p[..<r.lowerBound]), trim(p[r.upperBound...])))
            } else if p.hasPrefix("!") {
                requirements.append(.notExists(trim(p.dropFirst())))
            } else {
                requirements.append(.exists(p))
            }
        }
    }

    private func trim(_ s: Substring) -> String { s.trimmingCharacters(in: .whitespaces) }

    private static func values(_ s: Substring) -> [String] {
        s.trimmingCharacters(in: CharacterSet(charactersIn: " ()")).split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }

    /// Splits at commas outside parentheses.
    private static func splitTopLevel(_ text: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        for c in text {
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            if c == "," && depth == 0 { parts.append(current); current = "" } else { current.append(c) }
        }
        parts.append(current)
        return parts
    }

    func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { r in
            switch r {
            case let .equals(k, v): return labels[k] == v
            case let .notEquals(k, v): return labels[k] != v
            case let .isIn(k, vs): return labels[k].map(vs.contains) ?? false
            case let .notIn(k, vs): return !(labels[k].map(vs.contains) ?? false)
            case let .exists(k): return labels[k] != nil
            case let .notExists(k): return labels[k] == nil
            }
        }
    }
}
