import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// The files bootstrap writes, against flux's own output shape and against kustomize.
@Suite("bootstrap manifests")
struct BootstrapManifestsTests {
    static let fixtures = TestPaths.fixtures.appendingPathComponent("bootstrap")

    @Test func syncMatchesFluxBootstrapOutput() throws {
        let manifests = BootstrapManifests(path: "./clusters/my-cluster", url: "ssh://git@github.com/OWNER/REPO")
        let golden = try String(contentsOf: Self.fixtures.appendingPathComponent("gotk-sync.yaml"), encoding: .utf8)
        #expect(manifests.sync == golden)
    }

    /// The sample repository's gotk-sync.yaml was written in flux's shape; regenerating it from its
    /// own URL and path must give the same bytes.
    @Test func syncReproducesTheExampleRepository() throws {
        let file = TestPaths.examples.appendingPathComponent("platform/clusters/production/flux-system/gotk-sync.yaml")
        let manifests = BootstrapManifests(path: "clusters/production", url: "ssh://git@github.com/example-org/platform")
        #expect(manifests.sync == (try String(contentsOf: file, encoding: .utf8)))
    }

    @Test(arguments: [("clusters/prod", "clusters/prod", "./clusters/prod"),
                      ("./clusters/prod/", "clusters/prod", "./clusters/prod"),
                      ("clusters//prod", "clusters/prod", "./clusters/prod"),
                      ("", "", "./"), ("./", "", "./")])
    func pathIsNormalisedLikeFlux(given: String, path: String, syncPath: String) {
        let manifests = BootstrapManifests(path: given, url: "ssh://git@example.com/a/b")
        #expect(manifests.path == path)
        #expect(manifests.syncPath == syncPath)
        #expect(manifests.directory == (path.isEmpty ? "flux-system" : "\(path)/flux-system"))
    }

    @Test(arguments: [("1m", "1m0s"), ("90s", "1m30s"), ("1h", "1h0m0s"), ("30s", "30s"), ("1h30m", "1h30m0s")])
    func intervalIsWrittenInGoDurationForm(given: String, written: String) throws {
        let interval = try #require(FluxDuration(given))
        let manifests = BootstrapManifests(path: "c", url: "u", interval: interval)
        #expect(manifests.sync.contains("  interval: \(written)\n"))
    }

    /// kustomize itself (kubectl kustomize) builds the generated directory, and the decryption
    /// patch lands on the flux-system Kustomization only.
    @Test func kustomizeAppliesTheDecryptionPatch() throws {
        let manifests = BootstrapManifests(path: "clusters/dev", url: "ssh://git@example.com/a/b")
        let directory = try TemporaryDirectory(prefix: "bootstrap-kustomize")
        try directory.write("kustomization.yaml", manifests.kustomization)
        try directory.write("gotk-sync.yaml", manifests.sync)
        try directory.write("gotk-components.yaml", manifests.componentsPlaceholder)
        let result = try ProcessRunner.run(tool: "kubectl", ["kustomize", directory.url.path])
        try #require(result.status == 0, "\(result.stderrText)")
        let objects = try KubeObject.objects(fromYAML: result.stdoutText)
        #expect(objects.map(\.kind).sorted() == ["GitRepository", "Kustomization", "Namespace"])
        let kustomization = try #require(objects.first { $0.kind == "Kustomization" })
        #expect(kustomization.json.at("spec.decryption.provider")?.stringValue == "sops")
        #expect(kustomization.json.at("spec.decryption.secretRef.name")?.stringValue == "sops-age")
        let ours = try KustomizeBuilder().build(directory.url.path).objects.map { KubeObject(KubeJSON(yaml: $0)) }
        #expect(ours == objects)
    }

    @Test func decryptionPatchIsAddedSurgicallyToAnExistingKustomization() throws {
        let manifests = BootstrapManifests(path: "clusters/dev", url: "u")
        let original = try String(contentsOf: Self.fixtures.appendingPathComponent("kustomization-with-comments.yaml"),
                                  encoding: .utf8)
        let edited = try String(decoding: YAMLStream(yaml: original).applying(
            [.insert(into: YAMLPath(), key: "patches", value: YAMLNode(sequence: [manifests.decryptionPatch]))]), as: UTF8.self)
        #expect(edited.hasPrefix(original))
        let root = try #require(YAMLStream(yaml: edited).documents.first?.root)
        #expect(manifests.hasDecryptionPatch(root))
        #expect(!manifests.hasDecryptionPatch(try #require(YAMLStream(yaml: original).documents.first?.root)))
    }

    @Test func componentsVersionComesFromTheInstallHeader() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("components-with-controllers.yaml"),
                              encoding: .utf8)
        #expect(BootstrapManifests.fluxVersion(ofComponents: text) == "v2.9.4")
        #expect(BootstrapManifests.fluxVersion(ofComponents: BootstrapManifests(path: "c", url: "u").componentsPlaceholder) == nil)
    }
}

/// The `.sops.yaml` rule: created, appended without disturbing the file, or left alone.
@Suite("bootstrap .sops.yaml rule")
struct BootstrapSopsRuleTests {
    static let recipient = "age1uhtm3n2890eqfd3m4j0v4as95dr420rqdsfvyp6rqwpv7q5c64nqulph2u"

    private func config(_ bytes: [UInt8]) throws -> (SopsConfig, TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: "bootstrap-sops")
        try directory.write(".sops.yaml", String(decoding: bytes, as: UTF8.self))
        return (try SopsConfig(contentsOf: directory.path(".sops.yaml").path), directory)
    }

    @Test func newFileCoversSopsSecretsButNotPlainManifests() throws {
        let (config, directory) = try config(try SopsRuleFile.bytes(nil, recipient: Self.recipient))
        let root = directory.url.path
        #expect(config.covers("\(root)/clusters/dev/db.sops.yaml", workingDirectory: root))
        #expect(config.covers("\(root)/apps/x.sops.yml", workingDirectory: root))
        #expect(!config.covers("\(root)/clusters/dev/flux-system/gotk-sync.yaml", workingDirectory: root))
        #expect(!config.covers("\(root)/.sops.yaml", workingDirectory: root))
        let rule = try config.rule(for: "\(root)/a/b.sops.yaml", workingDirectory: root)
        #expect(rule.index == 0)
    }

    @Test func existingRulesAreKeptByteForByte() throws {
        let file = TestPaths.examples.appendingPathComponent("platform/.sops.yaml")
        let original = try [UInt8](Data(contentsOf: file))
        let edited = try SopsRuleFile.bytes(original, recipient: Self.recipient)
        #expect(Array(edited.prefix(original.count)) == original)
        let (config, _) = try config(edited)
        #expect(config.creationRules.count == 4)
        #expect(try SopsRuleFile.bytes(edited, recipient: Self.recipient) == edited)
    }

    @Test func aRuleThatAlreadyEncryptsToTheRecipientIsEnough() throws {
        let listed = Array("creation_rules:\n  - path_regex: x\n    age:\n      - \(Self.recipient)\n".utf8)
        #expect(try SopsRuleFile.bytes(listed, recipient: Self.recipient) == listed)
        let commaList = Array("creation_rules:\n- age: age1other, \(Self.recipient)\n".utf8)
        #expect(try SopsRuleFile.bytes(commaList, recipient: Self.recipient) == commaList)
    }

    @Test func aFileWithoutCreationRulesGainsThem() throws {
        let original = Array("# stores only\nstores:\n  yaml:\n    indent: 2\n".utf8)
        let edited = try SopsRuleFile.bytes(original, recipient: Self.recipient)
        #expect(Array(edited.prefix(original.count)) == original)
        #expect(try config(edited).0.creationRules.count == 1)
    }

    @Test func creationRulesThatAreNotAListAreReportedWithTheirLine() throws {
        let bad = Array("stores: {}\ncreation_rules: nope\n".utf8)
        #expect(throws: BootstrapError.existingFile(path: ".sops.yaml", line: 2, column: 17,
                                                    reason: "creation_rules is not a list")) {
            try SopsRuleFile.bytes(bad, recipient: Self.recipient)
        }
    }
}
