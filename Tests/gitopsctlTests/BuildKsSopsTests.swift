import Foundation
import Testing
import TestSupport

/// SOPS documents inside a build, decrypted as kustomize-controller decrypts them: encrypted
/// `secretGenerator` sources before kustomize runs, and Secret `data` values that are whole
/// SOPS files. Every expectation comes from the real `sops` and `kubectl kustomize`.
@Suite(.enabled(if: ProcessRunner.has(tool: "sops") && ProcessRunner.has(tool: "kubectl") && ProcessRunner.has(tool: "python3")))
struct BuildKsSopsTests {
    static let repo = TestPaths.fixtures.appendingPathComponent("flux/sops-in-builds")
    static let demoKey = TestPaths.examples.appendingPathComponent("demo-age-key.txt").path
    static let withKey: [String: String?] = ["SOPS_AGE_KEY_FILE": demoKey, "SOPS_AGE_KEY": nil]

    func documents(_ text: String) throws -> [[String: Any]] {
        let result = try ProcessRunner.run(tool: "python3", ["-c", """
            import sys, yaml, json
            print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d is not None]))
            """], stdin: Data(text.utf8))
        return try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]])
    }

    func object(_ objects: [[String: Any]], kind: String, namePrefix: String) throws -> [String: Any] {
        try #require(objects.first { $0["kind"] as? String == kind
            && ((($0["metadata"] as? [String: Any])?["name"] as? String)?.hasPrefix(namePrefix) ?? false) })
    }

    func name(_ object: [String: Any]) -> String? { (object["metadata"] as? [String: Any])?["name"] as? String }
    func data(_ object: [String: Any]) -> [String: String] { object["data"] as? [String: String] ?? [:] }

    func build(_ name: String, decrypt: Bool, environment: [String: String?] = withKey,
               repo: URL = repo) throws -> ProcessResult {
        try ProcessRunner.gitopsctl(["build", "ks", name, "--repo", repo.path] + (decrypt ? ["--decrypt"] : []),
                                    environment: environment)
    }

    /// What the controller builds: the sources decrypted in place by sops, then kustomize.
    func controllerBuild(of directory: String) throws -> [[String: Any]] {
        let copy = try TemporaryDirectory()
        _ = try ProcessRunner.run(tool: "cp", ["-R", Self.repo.appendingPathComponent(directory).path, copy.url.path])
        let root = copy.path(directory)
        for file in ["creds.yaml", "token.json", "cert.pem", "db.env", "patch.yaml"] {
            let decrypted = try ProcessRunner.run(tool: "sops", ["decrypt", "-i", "secrets/\(file)"],
                                                  environment: Self.withKey, in: root)
            #expect(decrypted.status == 0, "\(decrypted.stderrText)")
        }
        let built = try ProcessRunner.run(tool: "kubectl", ["kustomize", root.path])
        #expect(built.status == 0, "\(built.stderrText)")
        return try documents(built.stdoutText)
    }

    @Test func encryptedGeneratorSourcesAreDecryptedBeforeTheBuild() throws {
        let result = try build("apps", decrypt: true)
        #expect(result.status == 0, "\(result.stderrText)")
        let ours = try documents(result.stdoutText)
        let expected = try controllerBuild(of: "apps")
        let secret = try object(ours, kind: "Secret", namePrefix: "shop-credentials")
        let reference = try object(expected, kind: "Secret", namePrefix: "shop-credentials")
        // The name hash is over the plaintext, as the controller computes it.
        #expect(name(secret) == name(reference))
        #expect(data(secret) == data(reference))
        #expect(data(secret)["DB_PASSWORD"] == Data("s3cr3t-env".utf8).base64EncodedString())
        let deployment = try object(ours, kind: "Deployment", namePrefix: "shop")
        #expect(result.stdoutText.contains("name: \(name(secret) ?? "-")"))
        #expect((deployment["metadata"] as? [String: Any])?["namespace"] as? String == "shop")
    }

    /// `patches[].path` files are decrypted before the build too: the annotation the encrypted
    /// patch sets arrives in plain text, and no `sops` block is merged into the Deployment.
    @Test func encryptedPatchFilesAreDecryptedBeforeTheBuild() throws {
        let result = try build("apps", decrypt: true)
        #expect(result.status == 0, "\(result.stderrText)")
        let deployment = try object(try documents(result.stdoutText), kind: "Deployment", namePrefix: "shop")
        let reference = try object(try controllerBuild(of: "apps"), kind: "Deployment", namePrefix: "shop")
        let annotations = (deployment["metadata"] as? [String: Any])?["annotations"] as? [String: String]
        #expect(annotations?["example.com/api-key"] == "s3cr3t-patch")
        #expect(annotations == (reference["metadata"] as? [String: Any])?["annotations"] as? [String: String])
        #expect(deployment["sops"] == nil)
        #expect((deployment["spec"] as? NSDictionary) == (reference["spec"] as? NSDictionary))
    }

    @Test func withoutDecryptTheGeneratorSourcesStayAsWritten() throws {
        let result = try build("apps", decrypt: false)
        #expect(result.status == 0, "\(result.stderrText)")
        let secret = try object(try documents(result.stdoutText), kind: "Secret", namePrefix: "shop-credentials")
        let plain = try ProcessRunner.run(tool: "kubectl", ["kustomize", Self.repo.appendingPathComponent("apps").path])
        let reference = try object(try documents(plain.stdoutText), kind: "Secret", namePrefix: "shop-credentials")
        #expect(name(secret) == name(reference))
        #expect(data(secret) == data(reference))
        #expect(!result.stdoutText.contains(Data("s3cr3t".utf8).base64EncodedString().prefix(8)))
    }

    /// Each `data` value of Secret/shop-files is a sops file; the expected plaintext is what
    /// `sops decrypt` gives for it in the format of the data key.
    @Test(arguments: [("config.yaml", "yaml", "yaml"), ("settings.json", "json", "json"), ("vars.env", "dotenv", "dotenv"),
                      ("ca.crt", "binary", "binary"), ("as-json.json", "yaml", "json")])
    func secretDataValuesThatAreSopsDocumentsAreDecrypted(key: String, input: String, output: String) throws {
        let source = try documents(try String(contentsOf: Self.repo.appendingPathComponent("apps/nested-secret.yaml"),
                                              encoding: .utf8))
        let encoded = try #require(data(source[0])[key])
        let encrypted = try #require(Data(base64Encoded: encoded))
        let scratch = try TemporaryDirectory()
        let file = scratch.path("value")
        try encrypted.write(to: file)
        let sops = try ProcessRunner.run(tool: "sops", ["decrypt", "--input-type", input, "--output-type", output, file.path],
                                         environment: Self.withKey)
        #expect(sops.status == 0, "\(sops.stderrText)")

        let result = try build("apps", decrypt: true)
        #expect(result.status == 0, "\(result.stderrText)")
        let secret = try object(try documents(result.stdoutText), kind: "Secret", namePrefix: "shop-files")
        #expect(name(secret) == "shop-files")
        let decryptedValue = try #require(data(secret)[key])
        let value = try #require(Data(base64Encoded: decryptedValue, options: .ignoreUnknownCharacters))
        #expect(String(decoding: value, as: UTF8.self) == sops.stdoutText)
    }

    @Test func plainValuesAndOptedOutSecretsAreLeftAlone() throws {
        let result = try build("apps", decrypt: true)
        let objects = try documents(result.stdoutText)
        let files = try object(objects, kind: "Secret", namePrefix: "shop-files")
        #expect(data(files)["plain.txt"] == Data("not encrypted".utf8).base64EncodedString())
        let kept = try object(objects, kind: "Secret", namePrefix: "shop-files-kept")
        let source = try documents(try String(contentsOf: Self.repo.appendingPathComponent("apps/nested-secret.yaml"),
                                              encoding: .utf8))
        #expect(data(kept)["config.yaml"] == data(source[1])["config.yaml"])
    }

    @Test func aKustomizationWithoutDecryptionIsNotDecrypted() throws {
        let result = try build("plain", decrypt: true)
        #expect(result.status == 0, "\(result.stderrText)")
        let secret = try object(try documents(result.stdoutText), kind: "Secret", namePrefix: "shop-credentials")
        let stored = try #require(data(secret)["creds.yaml"])
        let value = try #require(Data(base64Encoded: stored, options: .ignoreUnknownCharacters))
        #expect(String(decoding: value, as: UTF8.self).contains("ENC[AES256_GCM"))
    }

    @Test func aKeyThatDoesNotOpenTheFilesFailsTheBuild() throws {
        let other = TestPaths.vectors.appendingPathComponent("keys/alice.txt").path
        let result = try build("apps", decrypt: true, environment: ["SOPS_AGE_KEY_FILE": other, "SOPS_AGE_KEY": nil])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("Kustomization/flux-system/apps"), "\(result.stderrText)")
        #expect(result.stderrText.contains("apps/secrets/"), "\(result.stderrText)")
        #expect(!result.stdoutText.contains("s3cr3t"))
    }

    /// The bootstrap Kustomization's own path (the cluster directory) is decrypted too when the
    /// Kustomization has `spec.decryption`.
    @Test func theClusterPathDecryptsItsGeneratorSourcesWhenTheBootstrapKustomizationDoes() throws {
        let copy = try TemporaryDirectory()
        _ = try ProcessRunner.run(tool: "cp", ["-R", Self.repo.path + "/.", copy.url.path])
        _ = try ProcessRunner.run(tool: "cp", [copy.path("apps/secrets/db.env").path, copy.path("clusters/test/db.env").path])
        try copy.write("clusters/test/flux-system/gotk-sync.yaml", """
            apiVersion: source.toolkit.fluxcd.io/v1
            kind: GitRepository
            metadata: {name: flux-system, namespace: flux-system}
            spec: {interval: 1m0s, ref: {branch: main}, url: ssh://git@example.com/org/shop}
            ---
            apiVersion: kustomize.toolkit.fluxcd.io/v1
            kind: Kustomization
            metadata: {name: flux-system, namespace: flux-system}
            spec:
              interval: 10m0s
              path: ./clusters/test
              prune: true
              sourceRef: {kind: GitRepository, name: flux-system}
              decryption: {provider: sops, secretRef: {name: sops-age}}

            """)
        try copy.write("clusters/test/kustomization.yaml", """
            resources:
            - apps.yaml
            - flux-system/gotk-sync.yaml
            secretGenerator:
            - name: cluster-secrets
              namespace: flux-system
              envs:
              - db.env

            """)
        let result = try build("flux-system", decrypt: true, repo: copy.url)
        #expect(result.status == 0, "\(result.stderrText)")
        let secret = try object(try documents(result.stdoutText), kind: "Secret", namePrefix: "cluster-secrets")
        #expect(data(secret)["DB_PASSWORD"] == Data("s3cr3t-env".utf8).base64EncodedString())
        let kept = try build("flux-system", decrypt: false, repo: copy.url)
        let encrypted = try object(try documents(kept.stdoutText), kind: "Secret", namePrefix: "cluster-secrets")
        #expect(data(encrypted)["DB_PASSWORD"] != data(secret)["DB_PASSWORD"])
        #expect(name(encrypted) != name(secret))
    }
}
