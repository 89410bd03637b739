import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

@Suite struct TenantWorkflowTests {
    @Test func addThenRemoveRestoresEveryFileExactly() throws {
        let fixture = try TenantFixture()
        let original = try fixture.snapshot()
        try TenantWorkflow.apply(try TenantWorkflow.planAdd(TenantFixture.everyOption("green"), in: fixture.layout()))
        #expect(try fixture.snapshot().count == original.count + 5)
        let removal = try TenantWorkflow.planRemove("green", in: fixture.layout())
        #expect(removal.changes.filter { $0.action == .modify }.map(\.path) == ["tenants/kustomization.yaml", ".sops.yaml"])
        try TenantWorkflow.apply(removal)
        #expect(try fixture.snapshot() == original)
        #expect(!FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("tenants/green").path))
    }

    @Test func secondAddIsRefused() throws {
        let fixture = try TenantFixture()
        try TenantWorkflow.apply(try TenantWorkflow.planAdd(TenantFixture.noOptions("green"), in: fixture.layout()))
        #expect(throws: CapsuleError.tenantExists(name: "green", path: "tenants/green")) {
            try TenantWorkflow.planAdd(TenantFixture.noOptions("green"), in: fixture.layout())
        }
        // Registered without a directory is an existing tenant too.
        #expect(throws: CapsuleError.tenantExists(name: "orange", path: "tenants/kustomization.yaml lists it")) {
            try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("tenants/orange"))
            return try TenantWorkflow.planAdd(TenantFixture.noOptions("orange"), in: fixture.layout())
        }
    }

    @Test func removingAnUnknownTenantIsRefused() throws {
        let fixture = try TenantFixture()
        #expect(throws: CapsuleError.tenantNotFound(name: "nobody", tenantsDirectory: "tenants")) {
            try TenantWorkflow.planRemove("nobody", in: fixture.layout())
        }
        #expect(throws: CapsuleError.self) { try TenantWorkflow.planRemove("../etc", in: fixture.layout()) }
    }

    @Test func listShowsOwnersQuotaAndParts() throws {
        let fixture = try TenantFixture()
        try TenantWorkflow.apply(try TenantWorkflow.planAdd(TenantFixture.everyOption("green"), in: fixture.layout()))
        try fixture.write("tenants/stray/tenant.yaml", "apiVersion: capsule.clastix.io/v1beta2\nkind: Tenant\nmetadata: {name: stray}\nspec: {owners: [{kind: User, name: s}]}\n")
        try FileManager.default.createDirectory(at: fixture.root.appendingPathComponent("tenants/not-a-tenant"),
                                                withIntermediateDirectories: true)
        // A shared file listed beside the tenants is not a tenant.
        let registration = try fixture.text("tenants/kustomization.yaml")
            .replacingOccurrences(of: "    - blue ", with: "    - common.yaml\n    - blue ")
        try fixture.write("tenants/kustomization.yaml", registration)
        let tenants = try TenantWorkflow.list(in: fixture.layout())
        #expect(tenants.map(\.name) == ["blue", "green", "orange", "stray"])
        let green = try #require(tenants.first { $0.name == "green" })
        #expect(green.owners.map(\.description) == ["Group:green-admins", "User:alice",
                                                    "ServiceAccount:system:serviceaccount:ci:deployer",
                                                    "ServiceAccount:system:serviceaccount:green-system:green-reconciler"])
        #expect(green.namespaceQuota == 5)
        #expect(green.hasGateway && green.hasApps && green.hasSecrets && green.registered)
        let blue = try #require(tenants.first { $0.name == "blue" })
        #expect(blue.hasGateway && !blue.hasApps && blue.namespaceQuota == 3)
        #expect(tenants.first { $0.name == "stray" }?.registered == false)
    }

    @Test func layoutIsFoundFromASubdirectoryAndExplainedWhenMissing() throws {
        let fixture = try TenantFixture()
        let nested = fixture.root.appendingPathComponent("tenants/blue/secrets")
        let layout = try TenantsLayout.locate(repositoryRoot: fixture.root, workingDirectory: nested)
        #expect(layout.directory.path == fixture.root.appendingPathComponent("tenants").standardizedFileURL.path)
        #expect(layout.sopsConfig?.lastPathComponent == ".sops.yaml")

        let empty = try TemporaryDirectory()
        do {
            _ = try TenantsLayout.locate(repositoryRoot: empty.url, workingDirectory: empty.url)
            Issue.record("found a layout in an empty directory")
        } catch {
            #expect(error == .tenantsLayoutNotFound(searched: [empty.url.appendingPathComponent("tenants/kustomization.yaml").standardizedFileURL.path]))
            #expect(error.hint?.contains("--tenants-dir") == true)
        }
        let explicit = try TenantsLayout.locate(repositoryRoot: empty.url, workingDirectory: empty.url,
                                                explicitDirectory: fixture.root.appendingPathComponent("tenants"))
        #expect(explicit.kustomizationFile.lastPathComponent == "kustomization.yaml")
    }

    @Test func commitRecordsExactlyThePlanAndRefusesUnrelatedStagedChanges() throws {
        try #require(ProcessRunner.has(tool: "git"))
        let fixture = try TenantFixture()
        func git(_ arguments: [String]) throws -> ProcessResult {
            try ProcessRunner.run(tool: "git", ["-c", "init.defaultBranch=main"] + arguments, in: fixture.root)
        }
        _ = try git(["init", "-q"])
        _ = try git(["config", "user.name", "Tenant Test"])
        _ = try git(["config", "user.email", "tenant@example.com"])
        _ = try git(["add", "-A"])
        _ = try git(["commit", "-qm", "init"])

        let plan = try TenantWorkflow.planAdd(TenantFixture.noOptions("green"), in: fixture.layout())
        try TenantWorkflow.apply(plan)
        let id = try TenantWorkflow.commit(plan)
        let show = try git(["show", "--stat", "--format=%s%n%an", id])
        #expect(show.status == 0)
        #expect(show.stdoutText.hasPrefix("Add tenant green\nTenant Test\n"))
        for path in [".sops.yaml", "tenants/green/kustomization.yaml", "tenants/green/secrets/.gitkeep",
                     "tenants/green/tenant.yaml", "tenants/kustomization.yaml"] {
            #expect(show.stdoutText.contains(" \(path) "), "\(path) not in \(show.stdoutText)")
        }
        #expect(show.stdoutText.contains("5 files changed"))
        #expect(try git(["status", "--porcelain"]).stdoutText.isEmpty)

        try fixture.write("unrelated.txt", "x\n")
        _ = try git(["add", "unrelated.txt"])
        let removal = try TenantWorkflow.planRemove("green", in: fixture.layout())
        try TenantWorkflow.apply(removal)
        #expect(throws: GitError.unrelatedStagedChanges(paths: ["unrelated.txt"])) { try TenantWorkflow.commit(removal) }
        _ = try git(["reset", "-q", "unrelated.txt"])
        let removed = try TenantWorkflow.commit(removal)
        let stat = try git(["show", "--stat", "--format=%s", removed]).stdoutText
        #expect(stat.hasPrefix("Remove tenant green\n"))
        #expect(stat.contains("5 files changed"))
        #expect(try git(["diff", "--stat", "HEAD~2", "HEAD"]).stdoutText.isEmpty)
    }
}
