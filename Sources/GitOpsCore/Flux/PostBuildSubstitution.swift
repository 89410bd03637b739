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
        let text = YAMLEmitter.manifest.emit(resource)
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
