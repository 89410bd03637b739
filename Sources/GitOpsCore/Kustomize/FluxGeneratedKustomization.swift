import Foundation

/// The kustomization Flux's kustomize-controller writes into a directory that has none
/// (fluxcd/pkg kustomize generator): every `.yaml`/`.yml` below it, in lexical order, and
/// sub-directories that hold a kustomization as directory entries, not descended into.
/// Paths excluded by `.sourceignore` files are left out, as source-controller packages them.
enum FluxGeneratedKustomization {
    static func make(for directory: String, loader: FileLoader) throws -> Kustomization {
        var k = Kustomization(file: directory + "/kustomization.yaml")
        let ignore = SourceIgnore(root: loader.root ?? directory)
        try walk(directory, relative: ".", into: &k.resources, loader: loader, ignore: ignore)
        if k.resources.isEmpty { k.namespace = nil }
        return k
    }

    private static func walk(_ dir: String, relative: String, into resources: inout [String],
                             loader: FileLoader, ignore: SourceIgnore) throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.sorted() ?? []
        for name in names {
            let path = dir + "/" + name
            let rel = relative + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if ignore.excludes(path, isDirectory: isDirectory.boolValue) { continue }
            if isDirectory.boolValue {
                if try loader.kustomizationFile(in: path) != nil {
                    resources.append(rel)
                } else {
                    try walk(path, relative: rel, into: &resources, loader: loader, ignore: ignore)
                }
                continue
            }
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { continue }
            try checkManifest(path, loader: loader)
            resources.append(rel)
        }
    }

    private static func checkManifest(_ path: String, loader: FileLoader) throws {
        let stream: YAMLStream
        do { stream = try loader.parse(path) } catch let error as YAMLError {
            throw KustomizeError.notKubernetesYAML(file: path, problem: error.description)
        }
        for document in stream.documents {
            guard let root = document.root, !root.isNullScalar else { continue }
            guard root.isMapping, root["apiVersion"]?.scalar != nil, root["kind"]?.scalar != nil else {
                let at = root.source.start.map { " at \($0)" } ?? ""
                throw KustomizeError.notKubernetesYAML(file: path, problem: "Object 'Kind' is missing\(at)")
            }
        }
    }
}
