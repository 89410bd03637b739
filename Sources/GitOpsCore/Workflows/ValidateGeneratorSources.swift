import Foundation

/// The `secretGenerator` inputs of every kustomization file in the checkout, for the SOPS
/// coverage check: sops writes a dotenv, JSON or binary file's metadata in that file's own
/// format, which the YAML walk over `.sops.yaml`-covered files cannot see.
struct ValidateGeneratorSources {
    /// One `files:`/`envs:` entry, relative to the repository root.
    struct Source: Hashable {
        var path: String
    }

    static let kustomizationNames: Set<String> = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    static func secretSources(in files: RepositoryFiles) -> Set<Source> {
        var sources: Set<Source> = []
        for file in files.files {
            let name = (file.path as NSString).lastPathComponent
            guard kustomizationNames.contains(name), let root = file.stream.documents.first?.root else { continue }
            let directory = (file.path as NSString).deletingLastPathComponent
            for generator in root["secretGenerator"]?.items ?? [] {
                // `files:` entries are `path` or `key=path`; `envs:` (and the older `env:`) are paths.
                let files = (generator["files"]?.items ?? []).compactMap(\.scalar).map { entry in
                    entry.firstIndex(of: "=").map { String(entry[entry.index(after: $0)...]) } ?? entry
                }
                let envs = (generator["envs"]?.items ?? []).compactMap(\.scalar) + [generator["env"]?.scalar].compactMap { $0 }
                for path in files + envs {
                    guard let relative = relativePath(path, in: directory) else { continue }
                    sources.insert(Source(path: relative))
                }
            }
        }
        return sources
    }

    /// `directory/path` without `.` and `..` steps; nil when it leaves the repository.
    static func relativePath(_ path: String, in directory: String) -> String? {
        guard !path.hasPrefix("/") else { return nil }
        var parts: [Substring] = []
        for part in (directory + "/" + path).split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    /// A problem for each covered, existing, non-YAML source that carries no sops metadata.
    static func problems(root: String, files: RepositoryFiles, coverage: SopsCoverage) -> [FluxProblem] {
        var problems: [FluxProblem] = []
        for source in secretSources(in: files).sorted(by: { $0.path < $1.path }) {
            let format = SopsFormat(path: source.path)
            guard format != .yaml, let rule = coverage.rule(for: source.path),
                  let data = FileManager.default.contents(atPath: root + "/" + source.path),
                  !SopsFile.isEncrypted([UInt8](data), format: format) else { continue }
            problems.append(FluxProblem(.sops, at: FluxOrigin(file: source.path, at: YAMLMark(line: 1, column: 1, offset: 0)),
                "not encrypted (no sops metadata); .sops.yaml creation rule \(rule.index + 1) (path_regex \(rule.pathRegex)) covers this file"))
        }
        return problems
    }
}
