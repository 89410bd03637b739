import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// Whatever `tenant add` writes builds with `kubectl kustomize` and is accepted by the
/// Capsule, Flux and Gateway API CRD schemas (../shared/crds and the sample repository's
/// Gateway API CRDs).
@Suite struct TenantSchemaTests {
    static func checker() throws -> CRDSchemaChecker {
        try CRDSchemaChecker(directories: [TestPaths.crds, TenantFixture.gatewayCRDs])
    }

    /// The objects `kubectl kustomize DIR` prints.
    static func build(_ directory: String, in root: URL) throws -> [YAMLNode] {
        let result = try ProcessRunner.run(tool: "kubectl", ["kustomize", directory], in: root)
        #expect(result.status == 0, "kubectl kustomize \(directory): \(result.stderrText)")
        return try YAMLParser().parse(Array(result.stdout)).documents.compactMap(\.root)
    }

    @Test(arguments: ["every-option", "no-options"])
    func scaffoldBuildsAndValidatesAgainstTheCRDSchemas(_ name: String) throws {
        try #require(ProcessRunner.has(tool: "kubectl"))
        let fixture = try TenantFixture()
        let request = name == "every-option" ? try TenantFixture.everyOption("green") : try TenantFixture.noOptions("green")
        try TenantWorkflow.apply(try TenantWorkflow.planAdd(request, in: fixture.layout()))

        let checker = try Self.checker()
        let objects = try Self.build("tenants/green", in: fixture.root)
        var checked: Set<String> = []
        for object in objects where checker.hasSchema(for: object) {
            let id = "\(object["kind"]?.scalar ?? "")/\(object["metadata"]?["name"]?.scalar ?? "")"
            #expect(checker.problems(in: object) == [], "\(id)")
            checked.insert(object["kind"]?.scalar ?? "")
        }
        let expected: Set<String> = name == "every-option" ? ["Tenant", "Gateway", "GitRepository", "Kustomization"] : ["Tenant"]
        #expect(checked == expected)
        // The whole tenants directory, the new tenant registered in it, still builds.
        let all = try Self.build("tenants", in: fixture.root)
        #expect(all.contains { $0["kind"]?.scalar == "Tenant" && $0["metadata"]?["name"]?.scalar == "green" })
        #expect(all.contains { $0["kind"]?.scalar == "Tenant" && $0["metadata"]?["name"]?.scalar == "blue" })
    }

    @Test func checkerReportsBrokenObjects() throws {
        let object = try #require(try YAMLStream(yaml: """
            apiVersion: capsule.clastix.io/v1beta2
            kind: Tenant
            metadata: {name: t}
            spec:
              owners: [{kind: Robot, name: r}, {name: nokind}]
              namespaceOptions: {quota: many}
              limitRanges: {items: [{limits: [{type: Container, default: {memory: 8GB}}]}]}
              colour: blue
            """).documents.first?.root)
        let problems = try Self.checker().problems(in: object)
        for fragment in ["spec.owners[0].kind: 'Robot' is not one of", "spec.owners[1].kind: missing required field",
                         "spec.namespaceOptions.quota: expected an integer",
                         "spec.limitRanges.items[0].limits[0].default.memory", "spec.colour: unknown field"] {
            #expect(problems.contains { $0.contains(fragment) }, "no problem like \(fragment) in \(problems)")
        }
    }

    /// The independent Python checker of the sample repositories agrees: the sample platform
    /// with a new tenant still builds from the cluster path, substitutes, and validates.
    @Test func samplePlatformWithANewTenantPassesTheRepositoryValidator() throws {
        try #require(ProcessRunner.has(tool: "kubectl") && ProcessRunner.has(tool: "sops"))
        let fixture = try TenantFixture(copying: TenantFixture.platform)
        var request = try TenantFixture.everyOption("acme")
        request.gateway?.gatewayClass = nil
        let plan = try TenantWorkflow.planAdd(request, in: fixture.layout())
        try TenantWorkflow.apply(plan)
        #expect(try fixture.text("tenants/acme/gateway.yaml").contains("gatewayClassName: cilium\n"))
        let result = try ProcessRunner.run(
            tool: "python3",
            [TestPaths.fixtures.appendingPathComponent("repos/validate-schemas.py").path,
             "--crds", TestPaths.crds.path, "--crds", TenantFixture.gatewayCRDs.path,
             fixture.root.path + ":clusters/production"],
            environment: ["SOPS_AGE_KEY_FILE": TestPaths.examples.appendingPathComponent("demo-age-key.txt").path,
                          "SOPS_AGE_KEY": nil])
        #expect(result.status == 0, "\(result.stdoutText)\(result.stderrText)")
        #expect(result.stderrText.contains("7 kustomization directories"))
    }
}
