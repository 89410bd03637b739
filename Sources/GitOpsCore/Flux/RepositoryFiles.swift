import Foundation

/// Every YAML file of the checkout, parsed once: where each object was written (so diagnostics
/// about built objects can name `file:line:col`) and which files do not parse.
public struct RepositoryFiles: Sendable {
    /// One parsed file.
    public struct File: Sendable {
        /// Relative to the repository root.
        public var path: String
        public var stream: YAMLStream
    }

    public var root: String
    public var files: [File]
    public var parseErrors: [(path: String, error: YAMLError)]
    private var origins: [String: [FluxOrigin]]

    /// Reads every `.yaml`/`.yml` below `root`, skipping `.git` and other dot-directories;
    /// symlinked directories are not followed (source-controller drops symlinks too).
    public init(root: String) {
        self.root = root
        let paths = Self.yamlFiles(below: root)
        // Parsing is most of the cost of loading a large checkout; files are independent.
        let parsed = ParsedFiles(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            guard let data = FileManager.default.contents(atPath: root + "/" + paths[index]) else { return }
            do {
                parsed.set(index, .success(try YAMLParser().parse(Array(data), file: paths[index])))
            } catch let error as YAMLError {
                parsed.set(index, .failure(error))
            } catch {
                return
            }
        }
        var files: [File] = []
        var errors: [(String, YAMLError)] = []
        var origins: [String: [FluxOrigin]] = [:]
        for (relative, outcome) in zip(paths, parsed.values) {
            switch outcome {
            case .success(let stream):
                for document in stream.documents {
                    guard let node = document.root, let kind = node["kind"]?.scalar,
                          let name = node["metadata"]?["name"]?.scalar else { continue }
                    origins[Self.originKey(kind: kind, name: name), default: []]
                        .append(FluxOrigin(file: relative, at: node.source.start))
                }
                files.append(File(path: relative, stream: stream))
            case .failure(let error):
                errors.append((relative, error))
            case nil:
                continue
            }
        }
        self.files = files
        self.parseErrors = errors
        self.origins = origins
    }

    static func originKey(kind: String, name: String) -> String { kind + "/" + name }

    /// Where an object of this kind and name was written: the file and `line:col` of its
    /// document. With several candidates, the one whose namespace matches wins.
    public func origin(kind: String, name: String, namespace: String? = nil) -> FluxOrigin? {
        guard let found = origins[Self.originKey(kind: kind, name: name)] else { return nil }
        if found.count > 1, let namespace {
            for origin in found {
                let node = document(at: origin)
                if node?["metadata"]?["namespace"]?.scalar == namespace { return origin }
            }
        }
        return found.first
    }

    /// The source node of the document at `origin`.
    public func document(at origin: FluxOrigin) -> YAMLNode? {
        guard let file = files.first(where: { $0.path == origin.file }) else { return nil }
        return file.stream.documents.first { $0.root?.source.start == origin.at }?.root
    }

    /// Relative paths of the YAML files below `root`, sorted.
    static func yamlFiles(below root: String) -> [String] {
        var result: [String] = []
        walk(root, relative: "", into: &result, depth: 0)
        return result.sorted()
    }

    private static func walk(_ directory: String, relative: String, into result: inout [String], depth: Int) {
        guard depth < 64 else { return }
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return }
        for name in names where !name.hasPrefix(".") || name == ".sops.yaml" {
            let path = directory + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            guard let attributes = try? manager.attributesOfItem(atPath: path),
                  let type = attributes[.type] as? FileAttributeType else { continue }
            if type == .typeDirectory {
                walk(path, relative: rel, into: &result, depth: depth + 1)
            } else if type == .typeRegular, name.hasSuffix(".yaml") || name.hasSuffix(".yml"), name != ".sops.yaml" {
                result.append(rel)
            }
        }
    }
}

/// The parse outcome of each file, written by index from worker threads.
private final class ParsedFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [Result<YAMLStream, YAMLError>?]

    init(count: Int) { stored = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ outcome: Result<YAMLStream, YAMLError>) {
        lock.withLock { stored[index] = outcome }
    }

    var values: [Result<YAMLStream, YAMLError>?] { lock.withLock { stored } }
}
