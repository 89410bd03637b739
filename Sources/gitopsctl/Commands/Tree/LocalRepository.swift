import Foundation
import GitOpsCore

/// Loads the `FluxRepo` the offline commands (`tree`, `build ks`, `validate`, `get --local`) share,
/// from `--repo` (default: the git work tree around the current directory) and `--path`.
enum LocalRepository {
    /// The builder every offline command uses: the in-process kustomize engine.
    static let builder: any ManifestBuilder = KustomizeManifestBuilder()

    static func root(_ arguments: ParsedArguments) -> URL {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if let repo = arguments.string("repo") { return URL(fileURLWithPath: repo, relativeTo: cwd).standardizedFileURL }
        guard let git = try? GitRepository.discover(from: cwd) else { return cwd }
        let top = git.workTree.standardizedFileURL
        // A GitOps repository kept inside another project (examples/platform here): the nearest
        // directory up from the current one that has a cluster layout wins over the work tree.
        var candidate = cwd.standardizedFileURL
        while candidate.path.hasPrefix(top.path) {
            if hasClusterLayout(candidate) { return candidate }
            if candidate.path == top.path { break }
            candidate = candidate.deletingLastPathComponent()
        }
        return top
    }

    static func hasClusterLayout(_ directory: URL) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: directory.appendingPathComponent("clusters").path)
            || manager.fileExists(atPath: directory.appendingPathComponent("kubernetes/flux/cluster").path)
    }

    /// `--path` relative to the current directory when it exists there, else to the root.
    static func clusterPath(_ arguments: ParsedArguments, root: URL) -> String? {
        guard let path = arguments.string("path") else { return nil }
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let here = URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL.path
        if FileManager.default.fileExists(atPath: here), here.hasPrefix(root.path) { return here }
        return path
    }

    /// The age identities sops would use (`--age-key` first); nil when there are none. Without
    /// `required`, unreadable key sources only leave encrypted variables unresolved.
    static func decryptor(_ arguments: ParsedArguments, required: Bool) throws -> (any SopsDecrypting)? {
        var environment = ProcessInfo.processInfo.environment
        if let file = arguments.string("age-key") { environment["SOPS_AGE_KEY_FILE"] = file }
        do {
            let found = try SopsAgeDecryptor.fromEnvironment(environment)
            if required && found == nil {
                throw FluxError.decryptionUnavailable(object: "--decrypt", reason: "no age identity found")
            }
            return found
        } catch {
            if required { throw error }
            return nil
        }
    }

    /// Whether SOPS-encrypted `secretGenerator` sources are decrypted before the builds.
    enum GeneratorSources { case keepEncrypted, decrypt }

    /// `generatorSources: .decrypt` is for the commands whose output may hold plaintext
    /// (`build ks --decrypt`, `reconcile --local`).
    static func load(_ invocation: Invocation, strictSubstitute: Bool = false,
                     decryptor: (any SopsDecrypting)?? = nil,
                     generatorSources: GeneratorSources = .keepEncrypted,
                     scope: FluxRepo.Scope = .everything) throws -> FluxRepo {
        let root = root(invocation.arguments)
        let decryptor = try decryptor ?? self.decryptor(invocation.arguments, required: false)
        let remote = (try? GitRepository.discover(from: root)).flatMap { try? $0.remoteURL() }
        var options = FluxRepo.Options(
            clusterPath: clusterPath(invocation.arguments, root: root), builder: builder, decryptor: decryptor,
            strictSubstitute: strictSubstitute, remoteURL: remote ?? nil)
        options.decryptGeneratorSources = generatorSources == .decrypt
        options.scope = scope
        return try FluxRepo.load(root: root.path, options: options)
    }

    /// The checkout's revision as Flux writes it (`main@sha1:<40 hex>`), empty outside git.
    static func revision(_ arguments: ParsedArguments) -> String {
        guard let git = try? GitRepository.discover(from: root(arguments)), let head = try? git.head(),
              let commit = head.commit else { return "" }
        return head.branch.map { "\($0)@sha1:\(commit)" } ?? "sha1:\(commit)"
    }

    /// Problems found while loading, as warnings on stderr (validate reports them as data instead).
    static func warn(_ repo: FluxRepo, reporter: Reporter, about key: String? = nil) {
        let relevant = repo.problems.filter { key == nil || $0.message.contains(key ?? "") }
        for problem in FluxProblem.foldingRepeatedWarnings(relevant) {
            reporter.warning(problem.description)
        }
    }
}
