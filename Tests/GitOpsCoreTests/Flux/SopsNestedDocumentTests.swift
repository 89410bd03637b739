import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// kustomize-controller's rules for SOPS documents nested in a build (internal/decryptor):
/// marker detection, the format a data key or source path selects, and line-wrapped values.
struct SopsNestedDocumentTests {
    static let repo = TestPaths.fixtures.appendingPathComponent("flux/sops-in-builds")

    static func decryptor() throws -> SopsAgeDecryptor {
        let key = try Data(contentsOf: TestPaths.examples.appendingPathComponent("demo-age-key.txt"))
        return SopsAgeDecryptor(identities: try AgeIdentity.parseIdentityFile([UInt8](key), source: "demo-age-key.txt"))
    }

    @Test(arguments: [("secrets/creds.yaml", SopsFormat.yaml), ("secrets/token.json", .json),
                      ("secrets/db.env", .dotenv), ("secrets/cert.pem", .json)])
    func markersOfFilesWrittenBySopsAreDetected(file: String, format: SopsFormat) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.repo.appendingPathComponent("apps/" + file)))
        #expect(SopsNestedDocument.detectedFormat(bytes) == .some(format))
    }

    @Test func plainBytesCarryNoMarker() {
        #expect(SopsNestedDocument.detectedFormat(Array("password: ENC is not here\n".utf8)) == nil)
    }

    @Test(arguments: [("config.yaml", SopsFormat?.some(.yaml)), ("a.yml", .yaml), ("settings.json", .json), ("vars.env", .dotenv),
                      (".dockerconfigjson", .json), ("tls.crt", .binary), ("token", .binary), ("legacy.ini", nil)])
    func formatFollowsTheKeyExtension(key: String, format: SopsFormat?) {
        #expect(SopsNestedDocument.format(forPath: key) == format)
    }

    @Test func lineWrappedValuesDecodeAsGoDecodesThem() throws {
        let encrypted = try Data(contentsOf: Self.repo.appendingPathComponent("apps/secrets/creds.yaml"))
        var wrapped = ""
        for (index, character) in encrypted.base64EncodedString().enumerated() {
            if index > 0 && index % 70 == 0 { wrapped += "\n" }
            wrapped.append(character)
        }
        let secret = YAMLNode(mapping: ["apiVersion": "v1", "kind": "Secret",
                                        "metadata": YAMLNode(mapping: ["name": "wrapped"]),
                                        "data": YAMLNode(mapping: ["creds.yaml": YAMLNode(string: wrapped + "\n")])])
        let result = try SopsNestedDocument.decryptingData(of: secret, with: try Self.decryptor())
        let value = try #require(result["data"]?["creds.yaml"]?.scalar)
        let plaintext = String(decoding: try #require(Data(base64Encoded: value)), as: UTF8.self)
        #expect(plaintext == "username: shop\npassword: s3cr3t-yaml\n")
    }

    @Test func anIniDocumentIsRefusedByName() throws {
        let ini = Data("[sops]\nmac = ENC[...]\n".utf8).base64EncodedString()
        let secret = YAMLNode(mapping: ["apiVersion": "v1", "kind": "Secret", "metadata": YAMLNode(mapping: ["name": "s"]),
                                        "data": YAMLNode(mapping: ["app.ini": YAMLNode(string: ini)])])
        #expect(throws: FluxError.self) { try SopsNestedDocument.decryptingData(of: secret, with: try Self.decryptor()) }
    }

    /// The controller cannot build a Kustomization with `spec.decryption` whose generator
    /// source it cannot decrypt; neither does the model when asked to decrypt sources.
    @Test func anEncryptedSourceWithoutAnIdentityFailsThatBuildOnly() throws {
        var options = FluxRepo.Options(builder: KustomizeManifestBuilder())
        options.decryptGeneratorSources = true
        let repo = try FluxRepo.load(root: Self.repo.path, options: options)
        let apps = try #require(repo.kustomization(named: "apps"))
        #expect(repo.manifests[apps.key] == nil)
        let problem = try #require(repo.problems.first { $0.message.contains("Kustomization/flux-system/apps") })
        #expect(problem.message.contains("apps/secrets/"), "\(problem.message)")
        #expect(problem.message.contains("no age identity"), "\(problem.message)")
        // `plain` has no spec.decryption: its encrypted source is used as written.
        let plain = try #require(repo.kustomization(named: "plain"))
        #expect(repo.manifests[plain.key] != nil)
    }
}
