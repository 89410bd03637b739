import Testing
@testable import GitOpsCore

/// `.sops.yaml` files `tenant add --age` writes when the repository has none yet.
@Suite struct SopsRuleFileTests {
    @Test func aMissingSopsYamlIsWrittenWithOneRule() throws {
        let rules = SopsCreationRules(YAMLStream(documents: [], file: ".sops.yaml", bytes: []))
        let bytes = try rules.adding(ruleFor: "tenants/a/secrets", copying: nil, recipients: ["age1one", "age1two"])
        #expect(String(decoding: bytes, as: UTF8.self) == #"""
            creation_rules:
            - path_regex: tenants/a/secrets/.*\.ya?ml$
              encrypted_regex: ^(data|stringData)$
              age: age1one,age1two

            """#)
        let written = SopsCreationRules(try YAMLParser().parse(bytes, file: ".sops.yaml"))
        #expect(try written.ruleIndex(covering: "tenants/a/secrets/db.yaml") == 0)
    }
}
