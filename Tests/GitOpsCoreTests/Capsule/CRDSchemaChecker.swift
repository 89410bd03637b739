import Foundation
@testable import GitOpsCore

/// A small checker of objects against CRD `openAPIV3Schema`s, for tests: types (with
/// `x-kubernetes-int-or-string` and `anyOf`), required fields, unknown fields (as a structural
/// schema prunes them), enums, patterns, lengths, bounds and item counts. No CEL rules, no
/// formats. Scalars are typed as Kubernetes reads YAML (YAML 1.1, sigs.k8s.io/yaml).
struct CRDSchemaChecker {
    /// `group/version/Kind` → schema.
    private(set) var schemas: [String: YAMLNode] = [:]

    init(directories: [URL]) throws {
        for directory in directories {
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yaml") }
            for name in names.sorted() {
                let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
                for document in try YAMLParser().parse(bytes, file: name).documents {
                    guard let crd = document.root, crd["kind"]?.scalar == "CustomResourceDefinition",
                          let group = crd["spec"]?["group"]?.scalar,
                          let kind = crd["spec"]?["names"]?["kind"]?.scalar else { continue }
                    for version in crd["spec"]?["versions"]?.items ?? [] {
                        guard let versionName = version["name"]?.scalar,
                              let schema = version["schema"]?["openAPIV3Schema"] else { continue }
                        schemas["\(group)/\(versionName)/\(kind)"] = schema
                    }
                }
            }
        }
    }

    /// Whether a schema for `object`'s apiVersion and kind is known.
    func hasSchema(for object: YAMLNode) -> Bool { schema(for: object) != nil }

    private func schema(for object: YAMLNode) -> YAMLNode? {
        guard let apiVersion = object["apiVersion"]?.scalar, let kind = object["kind"]?.scalar else { return nil }
        return schemas["\(apiVersion)/\(kind)"]
    }

    /// Problems of `object` as `path: reason` lines; empty when it is valid.
    func problems(in object: YAMLNode) -> [String] {
        guard let schema = schema(for: object) else { return ["no schema for \(object["apiVersion"]?.scalar ?? "?")/\(object["kind"]?.scalar ?? "?")"] }
        var problems: [String] = []
        check(object, against: schema, at: "", into: &problems)
        return problems
    }

    private func check(_ value: YAMLNode, against schema: YAMLNode, at path: String, into problems: inout [String]) {
        let where_ = path.isEmpty ? "<root>" : path
        if schema["x-kubernetes-int-or-string"]?.scalar == "true" {
            guard isInteger(value) || isString(value) else {
                problems.append("\(where_): expected an integer or a string"); return
            }
            if isString(value) { checkString(value, schema, where_, &problems) }
            return
        }
        if let alternatives = schema["anyOf"]?.items, !alternatives.isEmpty {
            let fits = alternatives.contains { alternative in
                var scratch: [String] = []
                check(value, against: alternative, at: path, into: &scratch)
                return scratch.isEmpty
            }
            if !fits { problems.append("\(where_): matches none of anyOf") }
        }
        switch schema["type"]?.scalar {
        case "object":
            guard value.isMapping else { problems.append("\(where_): expected an object"); return }
            checkObject(value, schema, path, &problems)
        case "array":
            guard value.isSequence else { problems.append("\(where_): expected an array"); return }
            let count = value.items.count
            if let min = schema["minItems"]?.int, count < min { problems.append("\(where_): fewer than \(min) items") }
            if let max = schema["maxItems"]?.int, count > max { problems.append("\(where_): more than \(max) items") }
            if let items = schema["items"] {
                for (index, item) in value.items.enumerated() { check(item, against: items, at: "\(path)[\(index)]", into: &problems) }
            }
        case "string":
            guard isString(value) else { problems.append("\(where_): expected a string"); return }
            checkString(value, schema, where_, &problems)
        case "integer":
            guard isInteger(value), case let .int(number) = value.resolved(.yaml11) else {
                problems.append("\(where_): expected an integer"); return
            }
            if let min = schema["minimum"]?.int, number < min { problems.append("\(where_): below the minimum \(min)") }
            if let max = schema["maximum"]?.int, number > max { problems.append("\(where_): above the maximum \(max)") }
        case "number":
            guard value.double != nil, value.isScalar, !isString(value) else { problems.append("\(where_): expected a number"); return }
        case "boolean":
            guard case .bool = value.resolved(.yaml11) else { problems.append("\(where_): expected a boolean"); return }
        default:
            break
        }
    }

    private func checkObject(_ value: YAMLNode, _ schema: YAMLNode, _ path: String, _ problems: inout [String]) {
        let prefix = path.isEmpty ? "" : path + "."
        for required in schema["required"]?.items.compactMap(\.scalar) ?? [] where value[required] == nil {
            problems.append("\(prefix)\(required): missing required field")
        }
        let properties = schema["properties"]
        let additional = schema["additionalProperties"]
        let preserves = schema["x-kubernetes-preserve-unknown-fields"]?.scalar == "true"
        for pair in value.entries {
            guard let key = pair.key.scalar else { continue }
            if path.isEmpty && key == "metadata" { continue }
            if let property = properties?[key] {
                check(pair.value, against: property, at: prefix + key, into: &problems)
            } else if let additional, additional.isMapping {
                check(pair.value, against: additional, at: prefix + key, into: &problems)
            } else if !preserves && additional?.scalar != "true" {
                problems.append("\(prefix)\(key): unknown field")
            }
        }
    }

    private func checkString(_ value: YAMLNode, _ schema: YAMLNode, _ where_: String, _ problems: inout [String]) {
        let text = value.scalar ?? ""
        if let allowed = schema["enum"]?.items.compactMap(\.scalar), !allowed.isEmpty, !allowed.contains(text) {
            problems.append("\(where_): '\(text)' is not one of \(allowed)")
        }
        if let pattern = schema["pattern"]?.scalar, let regex = try? NSRegularExpression(pattern: pattern),
           regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
            problems.append("\(where_): '\(text)' does not match \(pattern)")
        }
        if let min = schema["minLength"]?.int, text.count < min { problems.append("\(where_): shorter than \(min)") }
        if let max = schema["maxLength"]?.int, text.count > max { problems.append("\(where_): longer than \(max)") }
    }

    private func isString(_ value: YAMLNode) -> Bool {
        switch value.resolved(.yaml11) {
        case .string, .timestamp: return value.isScalar
        default: return false
        }
    }

    private func isInteger(_ value: YAMLNode) -> Bool {
        guard value.isScalar else { return false }
        switch value.resolved(.yaml11) {
        case .int, .unsignedInt: return true
        default: return false
        }
    }
}
