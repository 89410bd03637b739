import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

@Suite struct SopsShamirTests {
    @Test(arguments: [(2, 2), (2, 3), (3, 5)])
    func anyThresholdSharesRecoverTheKey(threshold: Int, parts: Int) throws {
        let secret = SecretBytes.random(count: 32)
        let shares = SopsShamir.split(secret, parts: parts, threshold: threshold)
        #expect(shares.count == parts && shares.allSatisfy { $0.count == 33 })
        let recovered = try #require(SopsShamir.combine(Array(shares.suffix(threshold))))
        #expect(recovered.constantTimeEquals(secret))
        if threshold > 2 {
            let tooFew = try #require(SopsShamir.combine(Array(shares.prefix(threshold - 1))))
            #expect(!tooFew.constantTimeEquals(secret))
        }
    }

    @Test func fieldArithmeticMatchesAESTables() {
        // 0x57 · 0x83 = 0xC1 (FIPS-197 §4.2), and every non-zero byte has an inverse.
        #expect(SopsShamir.multiply(0x57, 0x83) == 0xC1)
        for b in 1...255 { #expect(SopsShamir.multiply(UInt8(b), SopsShamir.divide(1, UInt8(b))) == 1) }
    }
}

@Suite struct SopsValueTests {
    @Test(arguments: [
        (SopsValue.float(1.0), "1"), (.float(2.5), "2.5"), (.float(1e21), "1000000000000000000000"),
        (.float(1.5e-7), "0.00000015"), (.float(-0.0), "-0"), (.float(.infinity), "+Inf"), (.float(.nan), "NaN"),
        (.bool(true), "True"), (.bool(false), "False"), (.int(-17), "-17"), (.string("héllo"), "héllo"),
    ])
    func plaintextBytesAreSopsByteForms(value: SopsValue, bytes: String) {
        #expect(value.plaintextBytes == Array(bytes.utf8))
    }

    @Test(arguments: [SopsValue.string("s3cr3t"), .int(42), .float(0.75), .bool(false), .comment(" note"),
                      .time(YAMLTimestamp(year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5, utcOffsetSeconds: 3600))])
    func encryptedValuesDecryptToTheSameTypedValue(value: SopsValue) throws {
        let cipher = try SopsValueCipher(dataKey: SopsDataKey.generate())
        let text = try #require(cipher.encrypt(value, aad: "a:b:"))
        #expect(text.hasPrefix("ENC[AES256_GCM,data:") && text.hasSuffix(",type:\(value.typeTag ?? "")]"))
        #expect(try cipher.decrypt(text, aad: "a:b:") == value)
        #expect(throws: SopsValueCipher.Failure.self) { try cipher.decrypt(text, aad: "a:c:") }
    }

    @Test func emptyStringsStayEmpty() throws {
        let cipher = try SopsValueCipher(dataKey: SopsDataKey.generate())
        #expect(cipher.encrypt(.string(""), aad: "k:") == "")
        #expect(try cipher.decrypt("", aad: "k:") == .string(""))
    }

    @Test(arguments: ["ENC[AES256_GCM,data:AA==,iv:AA==,tag:AA==]", "ENC[AES256_GCM,data:!!,iv:AA==,tag:AA==,type:str]",
                      "ENC[AES256_GCM,data:AA==,iv:,tag:AA==,type:str]", "plain text"])
    func malformedEncryptedValuesAreRejected(text: String) {
        #expect(EncryptedValue(parsing: text) == nil)
    }
}

@Suite struct SopsCryptRuleTests {
    @Test func suffixAndRegexLookAtEveryPathComponent() throws {
        let suffix = try SopsCryptRule(.encryptedSuffix, pattern: "_secret")
        #expect(suffix.encrypts(path: ["nested_secret", "inner"], comments: [], leafIsComment: false))
        #expect(!suffix.encrypts(path: ["plain"], comments: [], leafIsComment: false))
        let regex = try SopsCryptRule(.encryptedRegex, pattern: "^(data|stringData)$")
        #expect(regex.encrypts(path: ["stringData", "password"], comments: [], leafIsComment: false))
        #expect(!regex.encrypts(path: ["metadata", "name"], comments: [], leafIsComment: false))
        #expect(!SopsCryptRule.default.encrypts(path: ["a", "b_unencrypted"], comments: [], leafIsComment: false))
    }

    @Test func encryptedCommentRegexIgnoresTheCommentItself() throws {
        let rule = try SopsCryptRule(.encryptedCommentRegex, pattern: "sops:enc")
        #expect(!rule.encrypts(path: [], comments: [[" sops:enc"]], leafIsComment: true))
        #expect(rule.encrypts(path: ["marked"], comments: [[" sops:enc"]], leafIsComment: false))
    }

    @Test func moreThanOneRuleIsAConflict() throws {
        #expect(throws: SopsError.self) { try SopsCryptRule.choose([.encryptedRegex: "a", .unencryptedSuffix: "b"]) }
        #expect(try SopsCryptRule.choose([.encryptedRegex: "a"])?.kind == .encryptedRegex)
    }

    @Test func commentStackFollowsSopsWalk() throws {
        let branch: [SopsItem] = [SopsItem(comment: " head"), SopsItem("a", .string("x")), SopsItem("b", .list([.comment(" in list"), .string("y")]))]
        var seen: [(String, [String], [[String]])] = []
        _ = SopsTreeWalk.walk(branch) { leaf, path, comments in
            seen.append((String(decoding: leaf.plaintextBytes ?? [], as: UTF8.self), path, comments))
            return leaf
        }
        #expect(seen.map(\.0) == [" head", "x", " in list", "y"])
        #expect(seen.map(\.1) == [[], ["a"], ["b"], ["b"]])
        #expect(seen[1].2 == [[" head"]])
        #expect(seen[3].2 == [[], [" in list"]])
    }
}

@Suite struct SopsConfigTests {
    static let config = """
    stores:
        yaml:
            indent: 2
    creation_rules:
      - path_regex: ^tenants/.*/secrets/.*\\.yaml$
        encrypted_regex: ^(data|stringData)$
        age:
          - age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv
          - age1sehluehqzvrusd9h6xz9gyfddjtgr62xx80w83m7zsfy4p5ezats4vadfu
      - path_regex: \\.env$
        key_groups:
          - age: [age1lf5y7fhhjksy6kwd25gfh8m28uh5zlc4580jm37qdkxx5dy89u4qu5295v]
          - age: [age1txxxc8ncgn2jce4w5jgketxe0quvfkvk94g9xpguc4jyukfh54ksgq2237]
        shamir_threshold: 2
      - age: age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv , age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv
    """

    func load() throws -> SopsConfig {
        try SopsConfig(bytes: Array(Self.config.utf8), path: "/repo/.sops.yaml")
    }

    @Test func firstMatchingRuleWinsOnThePathRelativeToTheConfig() throws {
        let config = try load()
        #expect(try config.rule(for: "tenants/a/secrets/db.yaml", workingDirectory: "/repo").index == 0)
        #expect(try config.rule(for: "../secrets/db.yaml", workingDirectory: "/repo/tenants/a/deeper").index == 0)
        #expect(try config.rule(for: "/repo/app/.env", workingDirectory: "/elsewhere").index == 1)
        #expect(try config.rule(for: "tenants/a/other.yaml", workingDirectory: "/repo").index == 2)
        #expect(config.stores.yamlIndent == 2)
    }

    @Test func ageListsAndKeyGroupsAreRead() throws {
        let config = try load()
        #expect(config.creationRules[0].keyGroups.map(\.count) == [2])
        #expect(config.creationRules[1].keyGroups.count == 2)
        #expect(config.creationRules[1].shamirThreshold == 2)
        #expect(config.creationRules[2].keyGroups == [["age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv"]])
    }

    @Test func noMatchingRuleListsTheRulesTried() throws {
        let config = try SopsConfig(bytes: Array("creation_rules:\n  - path_regex: ^a/\n    age: x\n".utf8), path: "/repo/.sops.yaml")
        #expect {
            try config.rule(for: "b/file.yaml", workingDirectory: "/repo")
        } throws: { error in
            guard let error = error as? SopsError else { return false }
            return error.exitCode == 61 && error.description.contains("path_regex ^a/")
        }
    }

    @Test func lookupWalksUpFromTheWorkingDirectory() throws {
        let directory = try TemporaryDirectory(prefix: "sops-config-lookup")
        try directory.write(".sops.yaml", Self.config)
        try FileManager.default.createDirectory(at: directory.path("a/b/c"), withIntermediateDirectories: true)
        let found = SopsConfig.find(from: directory.path("a/b/c").path)
        #expect(found.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
                == directory.path(".sops.yaml").resolvingSymlinksInPath().path)
    }
}

@Suite struct SopsStoreTests {
    @Test func treePathsParseLikeSops() throws {
        #expect(try SopsTreePath(parsing: "[\"a\"]['b'][0]").components == [.key("a"), .key("b"), .index(0)])
        #expect(throws: SopsError.self) { try SopsTreePath(parsing: "a.b") }
        #expect(throws: SopsError.self) { try SopsTreePath(parsing: "[x]") }
    }

    @Test func dotenvMetadataFlattensAndUnflattens() throws {
        let metadata = SopsValue.map([
            SopsItem("key_groups", .list([.map([SopsItem("age", .list([.map([SopsItem("recipient", .string("r1")), SopsItem("enc", .string("a\nb"))])]))])])),
            SopsItem("shamir_threshold", .int(2)),
        ])
        let flat = SopsFlatMetadata.flatten(metadata)
        #expect(flat.map(\.0) == ["key_groups__list_0__map_age__list_0__map_recipient", "key_groups__list_0__map_age__list_0__map_enc", "shamir_threshold"])
        let back = try SopsFlatMetadata.unflatten(flat, file: "x")
        #expect(back["key_groups"] == metadata["key_groups"])
        #expect(back["shamir_threshold"] == .string("2"))
    }

    @Test func yamlListsOfMapsKeepTheirCommentsInTheList() throws {
        let text = "l:\n    # before\n    - a: 1\n      # after a\n    - b\n"
        let loaded = try SopsYAMLStore().load(Array(text.utf8), file: "t.yaml")
        #expect(loaded.documents.branches[0][0].value == .list([.comment(" before"), .map([SopsItem("a", .int(1)), SopsItem(comment: " after a")]), .string("b")]))
        #expect(String(decoding: try SopsYAMLStore().emit(loaded.documents, metadata: nil), as: UTF8.self) == text)
    }

    @Test func jsonNumbersAreFloatsAndDuplicatesStay() throws {
        let loaded = try SopsJSONStore().load(Array("{\"a\": 10, \"a\": 1.0, \"s\": \"<&>\"}".utf8), file: "t.json")
        #expect(loaded.documents.branches[0] == [SopsItem("a", .float(10)), SopsItem("a", .float(1)), SopsItem("s", .string("<&>"))])
        #expect(String(decoding: try SopsJSONStore().emit(loaded.documents, metadata: nil), as: UTF8.self)
                == "{\n\t\"a\": 10,\n\t\"a\": 1,\n\t\"s\": \"\\u003c\\u0026\\u003e\"\n}\n")
    }

    @Test func nonStringKeysAndTopLevelListsAreRefused() {
        #expect(throws: SopsError.self) { try SopsYAMLStore().load(Array("123: x\n".utf8), file: "t.yaml") }
        #expect(throws: SopsError.self) { try SopsYAMLStore().load(Array("- a\n".utf8), file: "t.yaml") }
        #expect(throws: SopsError.self) { try SopsJSONStore().load(Array("[1]".utf8), file: "t.json") }
    }

    @Test(arguments: [("s.yaml", SopsFormat.yaml), ("s.yml", .yaml), ("s.json", .json), ("prod.env", .dotenv),
                      ("cert.pem", .binary), ("Makefile", .binary), ("dir.d/file", .binary)])
    func formatFollowsTheExtension(path: String, format: SopsFormat) {
        #expect(SopsFormat(path: path) == format)
    }

    @Test func lastModifiedBecomesSecondsPrecisionAAD() {
        #expect(SopsTime.rfc3339Seconds("2026-11-21T22:28:33Z") == "2026-11-21T22:28:33Z")
        #expect(SopsTime.rfc3339Seconds("2026-11-21T22:28:33.123456Z") == "2026-11-21T22:28:33Z")
        #expect(SopsTime.rfc3339Seconds("2026-11-21T22:28:33+02:00") == "2026-11-21T22:28:33+02:00")
        #expect(SopsTime.now().count == 20)
    }
}

@Suite struct SopsKeySourcesTests {
    @Test func identitiesComeFromEverySopsLocation() throws {
        let home = try TemporaryDirectory(prefix: "sops-keys")
        let keys = TestPaths.vectors.appendingPathComponent("keys")
        let bob = try String(contentsOf: keys.appendingPathComponent("bob.txt"), encoding: .utf8)
        try home.write(".config/sops/age/keys.txt", try String(contentsOf: keys.appendingPathComponent("carol.txt"), encoding: .utf8))
        let sources = SopsKeySources(environment: [
            "HOME": home.url.path, "SOPS_AGE_KEY": bob,
            "SOPS_AGE_KEY_FILE": keys.appendingPathComponent("alice.txt").path,
            "SOPS_AGE_SSH_PRIVATE_KEY_FILE": keys.appendingPathComponent("ssh_ed25519").path,
        ])
        let recipients = try sources.identities().compactMap { $0.recipient?.description }
        #expect(recipients.count == 4)
        #expect(recipients[0].hasPrefix("ssh-ed25519 "))
        #expect(Array(recipients[1...]) == ["age1sehluehqzvrusd9h6xz9gyfddjtgr62xx80w83m7zsfy4p5ezats4vadfu",
                                            "age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv",
                                            "age1lf5y7fhhjksy6kwd25gfh8m28uh5zlc4580jm37qdkxx5dy89u4qu5295v"])
    }

    @Test func namedKeyFileMustExistButTheDefaultMayNot() {
        #expect(throws: SopsError.self) { try SopsKeySources(environment: ["SOPS_AGE_KEY_FILE": "/nonexistent/keys.txt"]).identities() }
        #expect((try? SopsKeySources(environment: ["HOME": "/nonexistent"]).identities())?.isEmpty == true)
        #expect(SopsKeySources(environment: ["XDG_CONFIG_HOME": "/x"]).defaultKeysFile == "/x/sops/age/keys.txt")
        #expect(SopsKeySources(environment: ["SOPS_AGE_RECIPIENTS": "a, b,,c"]).environmentRecipients == ["a", "b", "c"])
    }
}
