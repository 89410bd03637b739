import Foundation
import Testing
import TestSupport
@testable import gitopsctl

@Suite struct CompletionEngineTests {
    /// A provider plugged into the table answers for its kind, sees the options already typed,
    /// and its names are filtered by the prefix.
    @Test func asksThePluggedInProviderForResourceNames() {
        let provider: CompletionProvider = { request in
            let namespace = request.arguments.string("namespace") ?? "?"
            return [CompletionCandidate(value: "apps", description: namespace),
                    CompletionCandidate(value: "infrastructure", description: namespace)]
        }
        let engine = CompletionEngine(root: CommandTree.root(), providers: [.kustomization: provider])
        let answer = engine.complete(["reconcile", "ks", "-n", "team-a", "a"])
        #expect(answer == .init(candidates: [CompletionCandidate(value: "apps", description: "team-a")], directive: .none))
        let defaults = engine.complete(["suspend", "ks", ""])
        #expect(defaults.candidates.map(\.description) == ["flux-system", "flux-system"])
    }

    @Test(arguments: [
        (["decrypt", ""], CompletionDirective.files),
        (["build", "ks", "apps", "--path", ""], .directories),
        (["age", "encrypt", "-R", ""], .files),
        (["age", "encrypt", "-aR", ""], .files),
        (["reconcile", "ks", ""], .none),
        (["decrypt", "--", ""], .files),
    ])
    func choosesTheShellsOwnCompletionForFilesAndDirectories(_ words: [String], _ directive: CompletionDirective) {
        let engine = CompletionEngine(root: CommandTree.root(), providers: [:])
        #expect(engine.complete(words).directive == directive)
    }

    @Test func hiddenCommandsAndAliasesStayOutOfTheWay() {
        let engine = CompletionEngine(root: CommandTree.root(), providers: [:])
        let top = engine.complete([""]).candidates.map(\.value)
        #expect(!top.contains("__complete"))
        #expect(top.contains("reconcile") && top.contains("version"))
        #expect(engine.complete(["reconcile", "k"]).candidates.map(\.value) == ["kustomization"])
        #expect(engine.complete(["reconcile", "hr"]).candidates.map(\.value) == ["hr"])
    }

    @Test func completesValuesAfterAnEqualsSign() {
        let engine = CompletionEngine(root: CommandTree.root(), providers: [:])
        #expect(engine.complete(["get", "ks", "--output=y"]).candidates.map(\.value) == ["--output=yaml"])
        // bash splits `--output=y` into three words
        #expect(engine.complete(["get", "ks", "--output", "=", "y"]).candidates.map(\.value) == ["yaml"])
    }

    @Test func printsTheProtocolTheScriptsRead() {
        let answer = CompletionEngine.Answer(candidates: [CompletionCandidate(value: "a", description: "first"),
                                                          CompletionCandidate(value: "b")], directive: .files)
        #expect(answer.text == "a\tfirst\nb\n:files\n")
    }

    /// The built-in context provider reads the kubeconfig the command would use.
    @Test func completesKubeconfigContexts() throws {
        let dir = try TemporaryDirectory()
        let kubeconfig = try dir.write("config", """
        apiVersion: v1
        kind: Config
        clusters:
        - name: c
          cluster: {server: "https://127.0.0.1:6443"}
        users:
        - name: u
          user: {token: abc}
        contexts:
        - name: production
          context: {cluster: c, user: u}
        - name: staging
          context: {cluster: c, user: u}
        current-context: staging
        """)
        let result = try ProcessRunner.gitopsctl(["__complete", "get", "ks", "--kubeconfig", kubeconfig.path, "--context", ""])
        #expect(result.status == 0)
        #expect(result.stdoutText == "production\nstaging\tcurrent context\n:none\n")
        let viaEnvironment = try ProcessRunner.gitopsctl(["__complete", "get", "ks", "--context", "p"],
                                                         environment: ["KUBECONFIG": kubeconfig.path])
        #expect(viaEnvironment.stdoutText == "production\n:none\n")
    }
}
