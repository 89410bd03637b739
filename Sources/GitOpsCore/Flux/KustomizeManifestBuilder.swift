import Foundation

/// The `ManifestBuilder` on the in-process kustomize engine (`KustomizeBuilder`). A directory
/// without a kustomization gets one generated the way kustomize-controller does; a Flux overlay
/// (targetNamespace, prefix/suffix, patches, images, components) is layered on through a wrapper
/// kustomization in a private temporary directory, so the checkout is never written to.
public struct KustomizeManifestBuilder: ManifestBuilder {
    public init() {}

    public func build(directory: String, repositoryRoot: String, overlay: FluxKustomizeOverlay) throws -> [YAMLNode] {
        if overlay.isEmpty {
            // The generated kustomization walks the directory: refuse a symlink loop first.
            if FluxOverlayWrapper.kustomizationFile(in: directory) == nil {
                _ = try FluxOverlayWrapper.generatedResources(in: directory, ignore: SourceIgnore(root: repositoryRoot))
            }
            return try KustomizeBuilder(root: repositoryRoot, missingKustomization: .generateLikeFlux)
                .build(directory).objects
        }
        let resources = FluxOverlayWrapper.kustomizationFile(in: directory) != nil
            ? [directory]
            : try FluxOverlayWrapper.generatedResources(in: directory, ignore: SourceIgnore(root: repositoryRoot))
        if resources.isEmpty && overlay.components.isEmpty { return [] }
        let wrapper = try FluxOverlayWrapper(resources: resources, overlay: overlay, directory: directory)
        defer { wrapper.remove() }
        // The wrapper lives outside the checkout, so the load restrictor is off for it; every path
        // it names was checked to be inside the repository by the caller.
        return try KustomizeBuilder(root: nil, missingKustomization: .fail).build(wrapper.path).objects
    }
}

/// A throw-away directory holding the kustomization that layers a Flux overlay onto a directory.
struct FluxOverlayWrapper {
    var path: String

    init(resources: [String], overlay: FluxKustomizeOverlay, directory: String) throws {
        path = NSTemporaryDirectory() + "gitopsctl-ks-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        // kustomize refuses absolute directory roots: every path is made relative to the wrapper.
        let up = String(repeating: "../", count: path.split(separator: "/").count)
        func relative(_ absolute: String) -> String { up + absolute.drop { $0 == "/" } }
        var k = YAMLNode(mapping: ["apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"])
        k.set("resources", YAMLNode(sequence: resources.map { YAMLNode(string: relative($0)) }))
        if let ns = overlay.targetNamespace { k.set("namespace", YAMLNode(string: ns)) }
        if let prefix = overlay.namePrefix { k.set("namePrefix", YAMLNode(string: prefix)) }
        if let suffix = overlay.nameSuffix { k.set("nameSuffix", YAMLNode(string: suffix)) }
        if !overlay.patches.isEmpty { k.set("patches", YAMLNode(sequence: overlay.patches)) }
        if !overlay.images.isEmpty { k.set("images", YAMLNode(sequence: overlay.images)) }
        let components = overlay.components.map { (directory as NSString).appendingPathComponent($0) }
            .filter { !overlay.ignoreMissingComponents || FileManager.default.fileExists(atPath: $0) }
        if !components.isEmpty {
            k.set("components", YAMLNode(sequence: components.map { YAMLNode(string: relative($0)) }))
        }
        try YAMLEmitter.manifest.emit(k).write(toFile: path + "/kustomization.yaml", atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

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
