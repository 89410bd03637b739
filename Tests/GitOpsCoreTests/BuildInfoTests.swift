import Testing
@testable import GitOpsCore

@Test func versionIsSemver() {
    let parts = BuildInfo.version.split(separator: ".")
    #expect(parts.count == 3)
    #expect(parts.allSatisfy { Int($0) != nil })
}
