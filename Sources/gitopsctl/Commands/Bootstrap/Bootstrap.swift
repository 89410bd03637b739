import Foundation
import GitOpsCore

extension Command {
    static let bootstrap = Command(
        name: "bootstrap",
        abstract: "Install Flux on a cluster and sync it to this repository",
        discussion: """
        Writes clusters/NAME/flux-system/ (gotk-components.yaml, gotk-sync.yaml, \
        kustomization.yaml) as flux bootstrap does, with SOPS decryption for the Kustomization; \
        writes .sops.yaml with the age recipient and ignores *.agekey; commits; applies to the \
        cluster server-side; and creates the sops-age Secret from the age key. Every check runs \
        before the first write: an unreachable cluster leaves the repository untouched. Running \
        it again changes nothing and says so.
        """,
        examples: [
            Example(comment: "Bootstrap production with a new age key",
                    command: "gitopsctl bootstrap --path clusters/production --url ssh://git@github.com/acme/platform --generate-age-key"),
            Example(comment: "Install real controllers from flux's install manifests",
                    command: "gitopsctl bootstrap --path clusters/production --components-file gotk-components.yaml --age-key ~/.config/gitopsctl/age/production.agekey"),
            Example(comment: "Only write and commit the files",
                    command: "gitopsctl bootstrap --path clusters/staging --url https://github.com/acme/platform --age-key age.agekey --no-apply"),
        ],
        options: [
            .clusterPath, .repo,
            .value("url", .string, "The repository URL the cluster pulls from (default: the origin remote)"),
            .value("branch", .string, "The branch to sync", default: "main"),
            .value("interval", .duration, "How often Flux pulls the repository", default: "1m"),
            .value("components-file", .file, "Flux install manifests (flux install --export) for gotk-components.yaml"),
            .value("age-key", .file, "age identity for the sops-age Secret"),
            .flag("generate-age-key", "Generate a new age identity (0600, outside the repository)"),
            .value("private-key-file", .file, "SSH private key for the Git credentials Secret and for --push"),
            .value("known-hosts", .file, "The Git host's SSH keys for the credentials Secret (default: ssh-keyscan the host)"),
            .flag("push", "Push the commits to the origin remote"),
            .flag("force", "Replace a sops-age Secret that holds a different identity"),
            .flag("no-apply", "Write and commit the files; do not touch the cluster"),
            .value("commit-author", .string, "Author of the commits (default: git config)", valueName: "\"NAME <MAIL>\""),
            .timeout(),
        ] + Option.cluster,
        body: { try await BootstrapCommand.run($0) })
}

/// `gitopsctl bootstrap`: options → `BootstrapRequest` → `BootstrapWorkflow`, events as flux's lines.
enum BootstrapCommand {
    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        let arguments = invocation.arguments
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let repository = arguments.string("repo").map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL } ?? cwd
        let path = arguments.string("path") ?? ""
        var request = BootstrapRequest(repository: repository, path: path,
                                       key: try keySource(arguments, repository: repository, path: path))
        request.namespace = arguments.string("namespace") ?? "flux-system"
        request.url = arguments.string("url")
        request.branch = arguments.string("branch") ?? "main"
        if let text = arguments.string("interval"), let interval = FluxDuration(text) { request.interval = interval }
        request.componentsFile = arguments.string("components-file").map { absolute($0, cwd) }
        if !arguments.flag("no-apply") {
            request.cluster = KubeconfigSource(explicitPath: arguments.string("kubeconfig"), context: arguments.string("context"))
            request.transportOptions.warnings = invocation.apiWarnings
        }
        if let author = arguments.string("commit-author") { request.author = try GitSignature(parsing: author) }
        request.push = arguments.flag("push")
        request.privateKeyFile = arguments.string("private-key-file").map { absolute($0, cwd) }
        request.knownHostsFile = arguments.string("known-hosts").map { absolute($0, cwd) }
        request.force = arguments.flag("force")
        if let timeout = arguments.duration("timeout") {
            request.timeout = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        }

        let reporter = invocation.reporter
        let progress = invocation.progressLine()
        let result = try await BootstrapWorkflow { event in
            switch event {
            case let .action(message): progress.clear(); reporter.action(message)
            case let .success(message): progress.clear(); reporter.success(message)
            case let .waiting(message): progress.clear(); reporter.waiting(message)
            case let .warning(message): progress.clear(); reporter.warning(message)
            case let .progress(message): progress.update(message)
            }
        }.run(request)
        progress.clear()
        if result.keyWasGenerated {
            reporter.success("age identity written to \(result.keyPath) (mode 0600); keep it safe, it is not in git")
        }
        reporter.success("age recipient: \(result.recipient)")
        return 0
    }

    private static func keySource(_ arguments: ParsedArguments, repository: URL, path: String) throws -> BootstrapAgeKey.Source {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        switch (arguments.string("age-key"), arguments.flag("generate-age-key")) {
        case (.some, true): throw BootstrapError.conflictingKeyOptions
        case let (.some(file), false): return .file(absolute(file, cwd))
        case (.none, false): throw BootstrapError.noAgeKey
        case (.none, true):
            let environment = ProcessInfo.processInfo.environment
            let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                ?? NSHomeDirectory() + "/.config"
            let cluster = BootstrapManifests.normalisedPath(path).split(separator: "/").last.map(String.init) ?? "root"
            let name = "\(repository.standardizedFileURL.lastPathComponent)-\(cluster).agekey"
            return .generate(at: "\(config)/gitopsctl/age/\(name)")
        }
    }

    private static func absolute(_ path: String, _ cwd: URL) -> String {
        URL(fileURLWithPath: path, relativeTo: cwd).standardizedFileURL.path
    }
}
