import Foundation
import Testing
import TestSupport

@Suite struct VersionTests {
    @Test func printsVersionAndLibraries() throws {
        let result = try ProcessRunner.gitopsctl(["version"])
        #expect(result.status == 0)
        #expect(result.stdoutText.hasPrefix("gitopsctl 0.1.0\n"))
        #expect(result.stderrText.isEmpty)
    }

    /// The library versions reported are the ones pkg-config knows on this machine.
    @Test func jsonReportsTheLinkedLibraries() throws {
        let result = try ProcessRunner.gitopsctl(["version", "-o", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        #expect(object["version"] as? String == "0.1.0")
        #expect(object["os"] as? String == "linux")
        let libraries = try #require(object["libraries"] as? [String: String])
        for (name, package) in [("libyaml", "yaml-0.1"), ("libsodium", "libsodium"), ("libgit2", "libgit2"),
                                ("libcurl", "libcurl"), ("openssl", "libcrypto")] {
            let expected = try ProcessRunner.run(tool: "pkg-config", ["--modversion", package])
            #expect(libraries[name] == expected.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines), "\(name)")
        }
    }

    @Test func yamlReadsBackLikeJSON() throws {
        let json = try ProcessRunner.gitopsctl(["version", "-o", "json"])
        let yaml = try ProcessRunner.gitopsctl(["version", "-o", "yaml"])
        let dir = try TemporaryDirectory()
        try json.stdout.write(to: dir.path("v.json"))
        try yaml.stdout.write(to: dir.path("v.yaml"))
        let check = try ProcessRunner.run(tool: "python3", ["-c",
            "import json,sys,yaml; assert json.load(open(sys.argv[1])) == yaml.safe_load(open(sys.argv[2]))",
            dir.path("v.json").path, dir.path("v.yaml").path])
        #expect(check.status == 0, "\(check.stderrText)")
    }

    @Test func helpGoesToStdoutAndExitsZero() throws {
        for argv in [["--help"], ["help"], ["help", "reconcile", "ks"], ["reconcile", "ks", "--help"], []] {
            let result = try ProcessRunner.gitopsctl(argv)
            #expect(result.status == 0, "\(argv)")
            #expect(result.stdoutText.contains("Usage:\n  gitopsctl"), "\(argv)")
            #expect(result.stderrText.isEmpty, "\(argv)")
        }
        let ks = try ProcessRunner.gitopsctl(["help", "reconcile", "ks"])
        #expect(ks.stdoutText.contains("Aliases:\n  kustomization, ks\n"))
        #expect(ks.stdoutText.contains("  -n, --namespace NAMESPACE"))
    }
}
