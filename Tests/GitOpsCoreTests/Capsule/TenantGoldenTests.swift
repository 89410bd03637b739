import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// What `tenant add` plans for the fixture repository, checked in under
/// Tests/Fixtures/tenant/golden/<case>: every file it creates, and the whole plan as the
/// unified diff `--dry-run` prints. `GITOPSCTL_UPDATE_GOLDEN=1 swift test --filter
/// TenantGoldenTests` rewrites them after a deliberate change.
@Suite struct TenantGoldenTests {
    static func request(_ name: String) throws -> TenantRequest {
        name == "every-option" ? try TenantFixture.everyOption("green") : try TenantFixture.noOptions("plain")
    }

    @Test(arguments: ["every-option", "no-options"])
    func plannedFilesMatchGoldenFiles(_ name: String) throws {
        let fixture = try TenantFixture()
        let plan = try TenantWorkflow.planAdd(Self.request(name), in: fixture.layout())
        var outputs: [(String, String)] = plan.changes.filter { $0.action == .create }.map {
            ($0.path, String(decoding: $0.after ?? [], as: UTF8.self))
        }
        outputs.append(("plan.diff", plan.unifiedDiff()))
        let directory = TenantFixture.golden.appendingPathComponent(name)
        for (path, text) in outputs {
            let url = directory.appendingPathComponent(path)
            if ProcessInfo.processInfo.environment["GITOPSCTL_UPDATE_GOLDEN"] == "1" {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            let expected = try String(contentsOf: url, encoding: .utf8)
            #expect(text == expected, "\(name)/\(path) differs from its golden file")
        }
        // No stale golden file: the golden directory holds exactly what was planned.
        let checkedIn = Set(TenantFiles.allFiles(under: directory))
        #expect(checkedIn == Set(outputs.map(\.0)))
    }

    @Test func everyOptionWritesEveryPart() throws {
        let fixture = try TenantFixture()
        let plan = try TenantWorkflow.planAdd(TenantFixture.everyOption("green"), in: fixture.layout())
        #expect(plan.changes.map(\.path) == [
            "tenants/green/tenant.yaml", "tenants/green/gateway.yaml", "tenants/green/apps.yaml",
            "tenants/green/kustomization.yaml", "tenants/green/secrets/.gitkeep",
            "tenants/kustomization.yaml", ".sops.yaml",
        ])
        #expect(plan.changes.map(\.action) == [.create, .create, .create, .create, .create, .modify, .modify])
        #expect(plan.commitMessage == "Add tenant green")
        let tenant = try #require(plan.changes.first { $0.path.hasSuffix("tenant.yaml") }?.after)
        let object = try #require(try YAMLParser().parse(tenant).documents.first?.root)
        #expect(object["spec"]?["owners"]?.items.last?["name"]?.string == "system:serviceaccount:green-system:green-reconciler")
        #expect(object["spec"]?["resourceQuotas"]?["items"]?[0]?["hard"]?["limits.memory"]?.string == "16Gi")
        #expect(object["spec"]?["networkPolicies"]?["items"]?[0]?["egress"]?[0]?["to"]?[0]?["ipBlock"]?["except"]?[0]?.string
                == "169.254.169.254/32")
    }

    @Test func noOptionsWritesOnlyTheTenantAndItsDefaults() throws {
        let fixture = try TenantFixture()
        let plan = try TenantWorkflow.planAdd(TenantFixture.noOptions("plain"), in: fixture.layout())
        let created = plan.changes.filter { $0.action == .create }.map(\.path)
        #expect(created == ["tenants/plain/tenant.yaml", "tenants/plain/kustomization.yaml", "tenants/plain/secrets/.gitkeep"])
        let tenant = try YAMLParser().parse(try #require(plan.changes[0].after)).documents[0].root
        #expect(tenant?["spec"]?["resourceQuotas"] == nil)
        #expect(tenant?["spec"]?["namespaceOptions"] == nil)
        #expect(tenant?["spec"]?["limitRanges"]?["items"]?[0]?["limits"]?[0]?["defaultRequest"]?["cpu"]?.string == "100m")
    }
}
