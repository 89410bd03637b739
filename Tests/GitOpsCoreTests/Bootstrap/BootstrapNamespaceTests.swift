import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// The decision whether `gotk-components.yaml` declares the bootstrap namespace: not when a
/// Kustomization reachable from the sync path declares it already (home-ops), else the stand-in
/// Namespace as before; a user's install manifests are kept either way.
@Suite("bootstrap namespace declaration")
struct BootstrapNamespaceTests {
    static let homeOpsPath = "kubernetes/flux/cluster"
    static let recipient = "age1qfmp7u393yr8nwtd6dmxtvu0jqmd76fa0dq5fjj8es7addc6cp4sw7wvpw"

    /// A copy of a fixture repository (no git needed: the model reads the files).
    static func copy(_ source: URL) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory(prefix: "bootstrap-namespace")
        for item in try FileManager.default.contentsOfDirectory(atPath: source.path) {
            try FileManager.default.copyItem(at: source.appendingPathComponent(item), to: directory.path(item))
        }
        return directory
    }

    static func homeOps() throws -> (TemporaryDirectory, BootstrapManifests) {
        (try copy(TestPaths.fixtures.appendingPathComponent("repos/home-ops")),
         BootstrapManifests(path: homeOpsPath, url: "ssh://git@github.com/me/home-ops"))
    }

    static func text(_ file: BootstrapFile?) -> String? { file.map { String(decoding: $0.bytes, as: UTF8.self) } }

    @Test func homeOpsDeclaresTheNamespaceInClusterApps() throws {
        let (repository, manifests) = try Self.homeOps()
        let found = BootstrapNamespaceDeclaration.find(root: repository.url, manifests: manifests, committedComponents: [])
        #expect(found == BootstrapNamespaceDeclaration(
            owner: FluxObjectKey(kind: "Kustomization", namespace: "flux-system", name: "cluster-apps"), path: "./kubernetes/apps"))
        #expect(found?.description == "Kustomization/flux-system/cluster-apps (./kubernetes/apps)")
    }

    @Test func theStandInLeavesTheNamespaceOutAndStillBuilds() throws {
        let (repository, manifests) = try Self.homeOps()
        let plan = try BootstrapRepoPlan.make(root: repository.url, manifests: manifests, componentsFile: nil,
                                              recipient: Self.recipient)
        let expected = manifests.componentsPlaceholder(namespaceDeclaredBy: "Kustomization/flux-system/cluster-apps (./kubernetes/apps)")
        #expect(Self.text(plan.components) == expected)
        #expect(plan.namespaceDeclaredBy?.owner.name == "cluster-apps")
        #expect(!plan.componentsDeclareNamespace)
        #expect(!plan.installsControllers)
        #expect(manifests.isComponentsPlaceholder(expected))

        // Written out, the flux-system directory builds to the sync objects alone.
        let files = RepoFiles(root: repository.url)
        for file in [plan.components].compactMap({ $0 }) + plan.sync { try files.write(file) }
        let built = try KustomizeBuilder(root: repository.url.path)
            .build(repository.path(manifests.directory).path).objects.map { KubeObject(KubeJSON(yaml: $0)) }
        #expect(built.map { "\($0.kind)/\($0.name)" }.sorted() == ["GitRepository/flux-system", "Kustomization/flux-system"])

        // A re-run finds the same owner and changes nothing.
        let again = try BootstrapRepoPlan.make(root: repository.url, manifests: manifests, componentsFile: nil,
                                               recipient: Self.recipient)
        #expect(again.isEmpty)
        #expect(again.namespaceDeclaredBy?.owner.name == "cluster-apps")
    }

    /// A repository bootstrapped before this rule has the Namespace stand-in committed: the
    /// stand-in is bootstrap's own, so a re-run replaces it with the comment-only one.
    @Test func anEarlierNamespaceStandInIsReplaced() throws {
        let (repository, manifests) = try Self.homeOps()
        try repository.write(manifests.componentsFile, manifests.componentsPlaceholder)
        let plan = try BootstrapRepoPlan.make(root: repository.url, manifests: manifests, componentsFile: nil,
                                              recipient: Self.recipient)
        #expect(Self.text(plan.components)?.contains("kind: Namespace") == false)
        #expect(plan.namespaceDeclaredBy?.owner.name == "cluster-apps")
    }

    /// The user's install manifests are theirs: kept, with the double declaration flagged.
    @Test func givenComponentsAreKeptAndTheDuplicateIsFlagged() throws {
        let (repository, manifests) = try Self.homeOps()
        let components = try repository.write("../\(repository.url.lastPathComponent)-components.yaml", """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: flux-system

            """)
        defer { try? FileManager.default.removeItem(at: components) }
        let plan = try BootstrapRepoPlan.make(root: repository.url, manifests: manifests, componentsFile: components.path,
                                              recipient: Self.recipient)
        #expect(plan.components?.bytes == Array(try Data(contentsOf: components)))
        #expect(plan.componentsDeclareNamespace)
        #expect(plan.namespaceDeclaredBy?.owner.name == "cluster-apps")

        // Committed, it stays on a re-run without --components-file.
        try RepoFiles(root: repository.url).write(try #require(plan.components))
        let again = try BootstrapRepoPlan.make(root: repository.url, manifests: manifests, componentsFile: nil,
                                               recipient: Self.recipient)
        #expect(again.components == nil)
        #expect(again.componentsDeclareNamespace)
        #expect(again.namespaceDeclaredBy?.owner.name == "cluster-apps")
    }

    /// Seed shape: a new cluster path, or one whose only Namespace is in its own components.
    @Test func seedRepositoriesKeepTheNamespaceStandIn() throws {
        let empty = try TemporaryDirectory(prefix: "bootstrap-namespace-empty")
        try empty.write("README.md", "# fleet\n")
        let manifests = BootstrapManifests(path: "clusters/dev", url: "ssh://git@github.com/acme/fleet")
        #expect(BootstrapNamespaceDeclaration.find(root: empty.url, manifests: manifests, committedComponents: []) == nil)
        let plan = try BootstrapRepoPlan.make(root: empty.url, manifests: manifests, componentsFile: nil,
                                              recipient: Self.recipient)
        #expect(Self.text(plan.components) == manifests.componentsPlaceholder)
        #expect(plan.namespaceDeclaredBy == nil)

        let platform = try Self.copy(TestPaths.examples.appendingPathComponent("platform"))
        let production = BootstrapManifests(path: "clusters/production", url: "ssh://git@github.com/example-org/platform")
        let committed = try KubeObject.objects(fromYAML: String(contentsOf: platform.path(production.componentsFile), encoding: .utf8),
                                               file: production.componentsFile)
        #expect(BootstrapNamespaceDeclaration.declares(committed, namespace: "flux-system"))
        #expect(BootstrapNamespaceDeclaration.find(root: platform.url, manifests: production, committedComponents: committed) == nil)
    }

    @Test func onlyBootstrapsOwnStandInsCountAsStandIns() {
        let manifests = BootstrapManifests(path: "clusters/dev", url: "u")
        #expect(manifests.isComponentsPlaceholder(manifests.componentsPlaceholder))
        #expect(manifests.isComponentsPlaceholder(manifests.componentsPlaceholder(namespaceDeclaredBy: "Kustomization/a/b (./x)")))
        #expect(!manifests.isComponentsPlaceholder(manifests.componentsPlaceholder(namespaceDeclaredBy: "x") + "apiVersion: v1\n"))
        #expect(!manifests.isComponentsPlaceholder("# Flux Version: v2.9.4\napiVersion: v1\nkind: Namespace\n"))
    }
}
