import Foundation

/// The `ManifestBuilder` on the in-process kustomize engine (`KustomizeBuilder`). A directory
/// without a kustomization gets one generated the way kustomize-controller does; a Flux overlay
/// (targetNamespace, prefix/suffix, patches, images, components) is layered on through a wrapper
/// kustomization held in memory, so nothing is written, to the checkout or anywhere else.
public struct KustomizeManifestBuilder: ManifestBuilder {
    public init() {}

    public func build(directory: String, repositoryRoot: String, overlay: FluxKustomizeOverlay,
                      context: ManifestBuildContext) throws -> [YAMLNode] {
        var builder = KustomizeBuilder(root: repositoryRoot, missingKustomization: .generateLikeFlux)
        builder.parsedFiles = context.parsedFiles
        builder.sourceFilter = context.sourceFilter
        let hasKustomization = FluxOverlayWrapper.kustomizationFile(in: directory) != nil
        if overlay.isEmpty {
            // The generated kustomization walks the directory: refuse a symlink loop first.
            if !hasKustomization {
                _ = try FluxOverlayWrapper.generatedResources(in: directory, ignore: SourceIgnore(root: repositoryRoot))
            }
            return try builder.build(directory).objects
        }
        let resources = hasKustomization
            ? [directory]
            : try FluxOverlayWrapper.generatedResources(in: directory, ignore: SourceIgnore(root: repositoryRoot))
        if resources.isEmpty && overlay.components.isEmpty { return [] }
        let wrapper = FluxOverlayWrapper(resources: resources, overlay: overlay, directory: directory)
        return try builder.build(kustomization: wrapper.kustomization, in: directory,
                                 name: directory + " (Flux Kustomization overlay)").objects
    }
}

/// The kustomization that layers a Flux overlay onto a directory: the directory (or, without a
/// kustomization of its own, the files Flux would generate one from) as its resources, and the
/// overlay's fields, every path absolute.
struct FluxOverlayWrapper {
    var kustomization: YAMLNode

    init(resources: [String], overlay: FluxKustomizeOverlay, directory: String) {
        var k = YAMLNode(mapping: ["apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"])
        k.set("resources", YAMLNode(sequence: resources.map { YAMLNode(string: $0) }))
        if let ns = overlay.targetNamespace { k.set("namespace", YAMLNode(string: ns)) }
        if let prefix = overlay.namePrefix { k.set("namePrefix", YAMLNode(string: prefix)) }
        if let suffix = overlay.nameSuffix { k.set("nameSuffix", YAMLNode(string: suffix)) }
        if !overlay.patches.isEmpty { k.set("patches", YAMLNode(sequence: overlay.patches)) }
        if !overlay.images.isEmpty { k.set("images", YAMLNode(sequence: overlay.images)) }
        let components = overlay.components.map { FileLoader.join(directory, $0) }
            .filter { !overlay.ignoreMissingComponents || FileManager.default.fileExists(atPath: $0) }
        if !components.isEmpty {
            k.set("components", YAMLNode(sequence: components.map { YAMLNode(string: $0) }))
        }
        kustomization = k
    }

    static func kustomizationFile(in directory: String) -> String? {
        for name in ["kustomization.yaml", "kustomization.yml", "Kustomization"] {
            let path = directory + "/" + name
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }

    /// The resource list kustomize-controller generates for a directory without a kustomization
    /// (fluxcd/pkg kustomize generator): `.yaml`/`.yml` files in lexical order, sub-directories
    /// with a kustomization as one entry, not descended into; what `.sourceignore` (or the
    /// default exclusions) leaves out of the artifact is left out here too.
    static func generatedResources(in directory: String, ignore: SourceIgnore,
                                   ancestors: Set<String> = []) throws -> [String] {
        // A directory that resolves to one of its own ancestors is a symlink loop.
        let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard !ancestors.contains(real), ancestors.count < 64 else { throw FluxError.recursionLimit(path: directory) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.sorted() ?? []
        var result: [String] = []
        for name in names where !name.hasPrefix(".") {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
                  !ignore.excludes(path, isDirectory: isDirectory.boolValue) else { continue }
            if isDirectory.boolValue {
                if kustomizationFile(in: path) != nil {
                    result.append(path)
                } else {
                    result += try generatedResources(in: path, ignore: ignore, ancestors: ancestors.union([real]))
                }
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                result.append(path)
            }
        }
        return result
    }
}
