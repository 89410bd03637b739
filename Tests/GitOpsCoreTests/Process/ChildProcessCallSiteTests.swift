import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// The product's callers of `ChildProcess` whose suites elsewhere do not start a child.
@Suite struct ChildProcessCallSiteTests {
    private let aliceKeys = TestPaths.vectors.appendingPathComponent("keys/alice.txt").path

    @Test func sopsAgeKeyCommandOutputIsAnIdentity() throws {
        let sources = SopsKeySources(environment: ["SOPS_AGE_KEY_CMD": "cat '\(aliceKeys)'"])
        let identities = try sources.identities()
        #expect(identities.map { $0.recipient?.description } == ["age1dd2x46en7tylu7rwaw7e7pzp84rl7tkj264vf054dxvkzsrggs3s6hg6tv"])
    }

    @Test(arguments: [("echo oops >&2; exit 3", "SOPS_AGE_KEY_CMD failed (exit status 3)"),
                      ("kill -TERM $$", "SOPS_AGE_KEY_CMD failed (killed by signal 15)")])
    func failingSopsAgeKeyCommandIsReported(_ testCase: (String, String)) {
        let error = #expect(throws: SopsError.self) {
            try SopsKeySources(environment: ["SOPS_AGE_KEY_CMD": testCase.0]).identities()
        }
        #expect(error?.description == testCase.1)
    }
}
