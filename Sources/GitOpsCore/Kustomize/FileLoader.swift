import Foundation

/// Reads the files a build names: resolves paths against a kustomization directory, applies
/// kustomize's load restrictor (files must be in or below that directory; directories may
/// also be outside it but not outside `root`), and parses YAML.
struct FileLoader: Sendable {
    /// No directory outside this one may be read (the repository or artifact root).
    var root: String?
    /// Streams parsed before the build, by absolute path.
    var parsedFiles: [String: YAMLStream] = [:]
    var sourceFilter: (any KustomizeSourceFilter)?

    enum EntryKind {
        case file(String)
        case directory(String)
    }

    static func normalize(_ path: String) -> String {
        // Most paths in a build are already absolute and clean; URL standardisation is costly
        // enough to show in a 200-Kustomization load, so it only runs when there is work.
        if path.hasPrefix("/"), path.count > 1, !path.hasSuffix("/"), !path.contains("//"), !path.contains("/.") {
            return path
        }
        return URL(fileURLWithPath: path).standardizedFileURL.path
    }

    static func join(_ directory: String, _ path: String) -> String {
        normalize(path.hasPrefix("/") ? path : directory + "/" + path)
    }

    static func isRemote(_ entry: String) -> Bool {
        let lower = entry.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("git@")
            || lower.hasPrefix("ssh://") || lower.hasPrefix("git::") || lower.hasPrefix("github.com/")
            || lower.hasPrefix("gitlab.com/") || lower.hasPrefix("bitbucket.org/")
    }

    static func isWithin(_ path: String, _ directory: String) -> Bool {
        path == directory || path.hasPrefix(directory.hasSuffix("/") ? directory : directory + "/")
    }

    /// Classifies a `resources`/`components` entry of the kustomization `file`.
    func resolveEntry(_ entry: String, in directory: String, from file: String) throws -> EntryKind {
        if FileLoader.isRemote(entry) { throw KustomizeError.remoteBase(file: file, entry: entry) }
        let path = FileLoader.join(directory, entry)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw KustomizeError.missingPath(file: file, entry: entry, path: path)
        }
        if isDirectory.boolValue {
            if let root, !FileLoader.isWithin(path, root) {
                throw KustomizeError.outsideRoot(file: file, entry: path, root: root)
            }
            return .directory(path)
        }
        guard FileLoader.isWithin(path, directory) else {
            throw KustomizeError.outsideRoot(file: file, entry: path, root: directory)
        }
        return .file(path)
    }

    /// A file named by the kustomization `file` (patch, generator input), inside `directory`.
    func resolveFile(_ entry: String, in directory: String, from file: String) throws -> String {
        let path = FileLoader.join(directory, entry)
        guard FileLoader.isWithin(path, directory) else {
            throw KustomizeError.outsideRoot(file: file, entry: path, root: directory)
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw KustomizeError.missingPath(file: file, entry: entry, path: path)
        }
        return path
    }

    func readBytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KustomizeError.missingPath(file: path, entry: path, path: path)
        }
        return [UInt8](data)
    }

    func readText(_ path: String) throws -> String {
        String(decoding: try readBytes(path), as: UTF8.self)
    }

    func parse(_ path: String) throws -> YAMLStream {
        if let parsed = parsedFiles[path] { return parsed }
        return try YAMLParser().parse(try readBytes(path), file: path)
    }

    /// A generator input or patch file, through the source filter when there is one.
    func readSource(_ path: String, use: KustomizeSourceUse) throws -> [UInt8] {
        let bytes = try readBytes(path)
        guard let sourceFilter else { return bytes }
        return try sourceFilter.contents(of: path, bytes: bytes, use: use)
    }

    /// The kustomization file of `directory`, nil when it has none.
    func kustomizationFile(in directory: String) throws -> String? {
        let names = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        let found = names.filter { FileManager.default.fileExists(atPath: directory + "/" + $0) }
        if found.count > 1 { throw KustomizeError.ambiguousKustomization(directory: directory, files: found) }
        return found.first.map { directory + "/" + $0 }
    }
}
