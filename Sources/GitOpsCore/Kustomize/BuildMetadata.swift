import Foundation

/// The top kustomization's `buildMetadata` options: `originAnnotations` records where each
/// object came from (`config.kubernetes.io/origin`), `transformerAnnotations` which builtin
/// transformers of which kustomization ran over it, `managedByLabel` adds
/// `app.kubernetes.io/managed-by` with the version string kubectl's embedded kustomize reports.
enum BuildMetadata {
    static let managedByValue = "kustomize-(devel)"

    static func apply(_ options: [String], topDirectory: String, file: String,
                      to resources: inout [KustomizeResource]) throws {
        for option in options {
            switch option {
            case "originAnnotations":
                for i in resources.indices {
                    let origin = originText(resources[i], topDirectory: topDirectory)
                    var metadata = resources[i].node["metadata"] ?? YAMLNode(mapping: [])
                    var annotations = metadata["annotations"] ?? YAMLNode(mapping: [])
                    annotations["config.kubernetes.io/origin"] = YAMLNode(string: origin)
                    metadata["annotations"] = annotations
                    resources[i].node["metadata"] = metadata
                }
            case "transformerAnnotations":
                for i in resources.indices where !resources[i].transformations.isEmpty {
                    let text = resources[i].transformations.map { t in
                        "- configuredIn: \(relativePath(t.file, from: topDirectory))\n  configuredBy:\n    apiVersion: builtin\n    kind: \(t.kind)\n"
                    }.joined()
                    var metadata = resources[i].node["metadata"] ?? YAMLNode(mapping: [])
                    var annotations = metadata["annotations"] ?? YAMLNode(mapping: [])
                    annotations["alpha.config.kubernetes.io/transformations"] = YAMLNode(string: text)
                    metadata["annotations"] = annotations
                    resources[i].node["metadata"] = metadata
                }
            case "managedByLabel":
                for i in resources.indices {
                    var metadata = resources[i].node["metadata"] ?? YAMLNode(mapping: [])
                    var labels = metadata["labels"] ?? YAMLNode(mapping: [])
                    labels["app.kubernetes.io/managed-by"] = YAMLNode(string: managedByValue)
                    metadata["labels"] = labels
                    resources[i].node["metadata"] = metadata
                }
            default:
                throw KustomizeError.invalidField(file: file, field: "buildMetadata",
                                                  problem: "option \"\(option)\" is not supported by gitopsctl")
            }
        }
    }

    private static func originText(_ resource: KustomizeResource, topDirectory: String) -> String {
        let path = relativePath(resource.origin, from: topDirectory)
        guard let generator = resource.generatedBy else { return "path: \(path)\n" }
        return "configuredIn: \(path)\nconfiguredBy:\n  apiVersion: builtin\n  kind: \(generator)\n"
    }

    /// `path` relative to `directory`, with `..` steps where it lies outside.
    static func relativePath(_ path: String, from directory: String) -> String {
        let target = path.split(separator: "/")
        let base = directory.split(separator: "/")
        var common = 0
        while common < target.count && common < base.count && target[common] == base[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        return (ups + target[common...].map(String.init)).joined(separator: "/")
    }
}
