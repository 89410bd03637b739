import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// Registration in tenants/kustomization.yaml and .sops.yaml: only whole lines are added or
/// removed, and removing what was added gives back the original bytes.
@Suite struct TenantRegistrationTests {
    static let kustomization = "tenants/kustomization.yaml"

    private func registry(_ text: String) throws -> TenantRegistry {
        TenantRegistry(try YAMLParser().parse(text, file: "kustomization.yaml"))
    }

    @Test(arguments: [("aaa", 0), ("green", 1), ("zed", 2)])
    func addingToTheCommentHeavyListInsertsOnlyOneLine(_ name: String, _ position: Int) throws {
        let fixture = try TenantFixture()
        let before = try fixture.bytes(Self.kustomization)
        let after = try TenantRegistry(YAMLParser().parse(before)).adding(name)
        #expect(insertedLines(before, after) == ["    - \(name)"])
        let entries = try TenantRegistry(YAMLParser().parse(after)).entries().map(\.tenant)
        var expected = ["blue", "orange"]
        expected.insert(name, at: position)
        #expect(entries == expected)
    }

    @Test(arguments: ["aaa", "green", "zed"])
    func removingWhatWasAddedRestoresTheOriginalBytes(_ name: String) throws {
        for source in [TenantFixture.repo, TenantFixture.platform] {
            let before = Array(try Data(contentsOf: source.appendingPathComponent(Self.kustomization)))
            let added = try TenantRegistry(YAMLParser().parse(before)).adding(name)
            #expect(added != before)
            let removed = try TenantRegistry(YAMLParser().parse(added)).removing(name)
            #expect(removed == before, "\(source.lastPathComponent): \(name)")
        }
    }

    @Test func unsortedListGetsTheTenantLast() throws {
        let text = "resources:\n- zz\n- aa # note\n"
        #expect(String(decoding: try registry(text).adding("mm"), as: UTF8.self) == "resources:\n- zz\n- aa # note\n- mm\n")
    }

    @Test(arguments: [
        ("resources: [a, b]\n", "resources: [a, b, c]\n"),
        ("resources: []\n", "resources: [c]\n"),
        ("kind: Kustomization\n", "kind: Kustomization\nresources:\n- c\n"),
        ("kind: Kustomization", "kind: Kustomization\nresources:\n- c\n"),
        ("resources:\n", "resources:\n- c\n"),
        ("resources:\n  - a\n  - b", "resources:\n  - a\n  - b\n  - c"),
        ("resources:\n- a\n- b\n# foot\n", "resources:\n- a\n- b\n- c\n# foot\n"),
    ])
    func addsToEveryShapeOfList(_ text: String, _ expected: String) throws {
        let added = try registry(text).adding("c")
        #expect(String(decoding: added, as: UTF8.self) == expected)
        // Flow lists, a missing key and a final line without newline round-trip too.
        if text.contains("resources:") && !text.hasSuffix("resources:\n") {
            #expect(String(decoding: try registry(expected).removing("c"), as: UTF8.self) == text)
        }
    }

    @Test func removingAnEntryTakesTheCommentAttachedToIt() throws {
        let before = try String(contentsOf: TenantFixture.platform.appendingPathComponent(Self.kustomization), encoding: .utf8)
        let after = String(decoding: try registry(before).removing("xonery"), as: UTF8.self)
        #expect(!after.contains("xonery"))
        #expect(after.contains("Keep the list sorted.\nresources:\n"))
        #expect(before.split(separator: "\n").count - after.split(separator: "\n").count == 2)
    }

    @Test func aSectionCommentStaysAboveTheFirstEntry() throws {
        let fixture = try TenantFixture()
        let after = String(decoding: try TenantRegistry(YAMLParser().parse(fixture.bytes(Self.kustomization))).adding("aaa"),
                           as: UTF8.self)
        #expect(after.contains("\n    # --- product teams ---\n    - aaa\n    - blue     # the first tenant\n"))
        // Removing blue keeps the section's comment for the entries that remain.
        let removed = String(decoding: try TenantRegistry(YAMLParser().parse(Array(after.utf8))).removing("blue"), as: UTF8.self)
        #expect(removed.contains("\n    # --- product teams ---\n    - aaa\n    - ./orange/"))
    }

    @Test func pathFormsNameTheSameTenant() throws {
        let registry = try registry("resources:\n- ./a/\n- b/\n- ./c\n")
        #expect(try registry.entries().map(\.tenant) == ["a", "b", "c"])
        #expect(String(decoding: try registry.removing("b"), as: UTF8.self) == "resources:\n- ./a/\n- ./c\n")
    }

    // MARK: .sops.yaml

    @Test func sopsRuleIsCopiedFromTheOtherTenantsRuleAsThreeLines() throws {
        let fixture = try TenantFixture()
        let plan = try TenantWorkflow.planAdd(TenantFixture.noOptions("green"), in: fixture.layout())
        let change = try #require(plan.changes.first { $0.path == ".sops.yaml" })
        let before = try #require(change.before), after = try #require(change.after)
        let inserted = try #require(insertedLines(before, after))
        #expect(inserted == [
            #"    -   path_regex: tenants/green/secrets/.*\.ya?ml$"#,
            "        encrypted_regex: '^(data|stringData)$'",
            "        age: \(TenantFixture.demoRecipient),age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
        ])
        let rules = SopsCreationRules(try YAMLParser().parse(try #require(change.after)))
        #expect(try rules.ruleIndex(covering: "tenants/green/secrets/db.yaml") == 2)
        #expect(String(decoding: try rules.removing(ruleFor: "tenants/green/secrets"), as: UTF8.self)
                == String(decoding: try #require(change.before), as: UTF8.self))
    }

    @Test func aRuleCoveringEveryTenantLeavesSopsYamlAlone() throws {
        let fixture = try TenantFixture(copying: TenantFixture.platform)
        let plan = try TenantWorkflow.planAdd(TenantFixture.noOptions("acme"), in: fixture.layout())
        #expect(!plan.changes.contains { $0.path.hasSuffix(".sops.yaml") })
    }

    @Test func withoutATemplateRuleRecipientsMustBeGiven() throws {
        let fixture = try TenantFixture()
        try fixture.write(".sops.yaml", "creation_rules:\n  - path_regex: clusters/.*\n    age: \(TenantFixture.demoRecipient)\n")
        try fixture.write(Self.kustomization, "resources: []\n")
        #expect(throws: CapsuleError.noRecipients(path: "tenants/first/secrets")) {
            try TenantWorkflow.planAdd(TenantFixture.noOptions("first"), in: fixture.layout())
        }
        var request = try TenantFixture.noOptions("first")
        request.ageRecipients = ["age1one", "age1two"]
        let plan = try TenantWorkflow.planAdd(request, in: fixture.layout())
        let after = String(decoding: try #require(plan.changes.first { $0.path == ".sops.yaml" }?.after), as: UTF8.self)
        #expect(after == """
            creation_rules:
              - path_regex: clusters/.*
                age: \(TenantFixture.demoRecipient)
              - path_regex: tenants/first/secrets/.*\\.ya?ml$
                encrypted_regex: ^(data|stringData)$
                age: age1one,age1two

            """)
    }

    @Test func regexMetacharactersInTheTenantsPathAreEscaped() {
        #expect(SopsCreationRules.pathRegex(forSecretsIn: "k8s.prod/tenants/a/secrets") == #"k8s\.prod/tenants/a/secrets/.*\.ya?ml$"#)
    }

    /// The rule `tenant add` writes is one the real sops reads and applies.
    @Test func realSopsEncryptsANewTenantSecretWithTheCopiedRule() throws {
        try #require(ProcessRunner.has(tool: "sops"))
        let fixture = try TenantFixture()
        try TenantWorkflow.apply(try TenantWorkflow.planAdd(TenantFixture.noOptions("green"), in: fixture.layout()))
        try fixture.write("tenants/green/secrets/db.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n")
        let result = try ProcessRunner.run(tool: "sops", ["encrypt", "tenants/green/secrets/db.yaml"], in: fixture.root)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(result.stdoutText.contains("recipient: \(TenantFixture.demoRecipient)"))
        #expect(result.stdoutText.contains("recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"))
        #expect(result.stdoutText.contains("name: db"))
        #expect(!result.stdoutText.contains("hunter2"))
    }
}
