import Foundation

/// A `ManifestBuilder` that runs `kubectl kustomize` — the stand-in until the in-process
/// kustomize engine (Sources/GitOpsCore/Kustomize) is wired in, and the reference the tests
/// compare against. The Flux overlay is applied through a generated wrapper kustomization, the
/// way kustomize-controller layers its spec onto the directory's own.
public struct KubectlManifestBuilder: ManifestBuilder {
    public var kubectl: String

    public init(kubectl: String = "kubectl") { self.kubectl = kubectl }

    public func build(directory: String, repositoryRoot: String, overlay: FluxKustomizeOverlay) throws -> [YAMLNode] {
        let hasKustomization = Self.kustomizationFile(in: directory) != nil
        if hasKustomization && overlay.isEmpty {
            return try run(directory: directory)
        }
        var resources: [String]
        if hasKustomization {
            resources = [directory]
        } else {
            resources = try FluxGeneratedResources.list(in: directory)
        }
        if resources.isEmpty && overlay.components.isEmpty { return [] }
        let wrapper = try TemporaryKustomization(resources: resources, overlay: overlay, directory: directory)
        defer { wrapper.remove() }
        return try run(directory: wrapper.path)
    }

    static func kustomizationFile(in directory: String) -> String? {
        for name in ["kustomization.yaml", "kustomization.yml", "Kustomization"] {
            let path = directory + "/" + name
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }

    private func run(directory: String) throws -> [YAMLNode] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [kubectl, "kustomize", "--load-restrictor", "LoadRestrictionsNone", directory]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errBox = ErrorText()
        let reader = Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errBox.done { usleep(1000) }
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errBox.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw KubectlBuildFailure(message: text.replacingOccurrences(of: "error: ", with: ""))
        }
        return try YAMLParser().parse(Array(data), file: directory).documents.compactMap(\.root)
    }
}

/// `kubectl kustomize`'s error text.
struct KubectlBuildFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

private final class ErrorText: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Data()
    private var finished = false
    var data: Data {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue; finished = true } }
    }
    var done: Bool { lock.withLock { finished } }
}

/// A throw-away directory holding the wrapper kustomization.yaml.
private struct TemporaryKustomization {
    var path: String

    init(resources: [String], overlay: FluxKustomizeOverlay, directory: String) throws {
        path = NSTemporaryDirectory() + "gitopsctl-ks-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var k = YAMLNode(mapping: ["apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"])
        // kustomize refuses absolute directory roots: every path is made relative to the wrapper.
        let up = String(repeating: "../", count: path.split(separator: "/").count)
        func relative(_ absolute: String) -> String { up + absolute.drop { $0 == "/" } }
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
}

/// The resource list kustomize-controller generates for a directory without a kustomization
/// (fluxcd/pkg kustomize generator): `.yaml`/`.yml` files in lexical order, sub-directories
/// with a kustomization as one entry, not descended into.
enum FluxGeneratedResources {
    static func list(in directory: String, ancestors: Set<String> = []) throws -> [String] {
        // A directory that resolves to one of its own ancestors is a symlink loop.
        let real = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        guard !ancestors.contains(real), ancestors.count < 64 else { throw FluxError.recursionLimit(path: directory) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.sorted() ?? []
        var result: [String] = []
        for name in names where !name.hasPrefix(".") {
            let path = directory + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if KubectlManifestBuilder.kustomizationFile(in: path) != nil {
                    result.append(path)
                } else {
                    result += try list(in: path, ancestors: ancestors.union([real]))
                }
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                result.append(path)
            }
        }
        return result
    }
}
