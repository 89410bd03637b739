import Foundation
import TestSupport
@testable import GitOpsCore

/// A private copy of a sample repository for one test, with its tenants layout.
struct TenantFixture {
    static let repo = TestPaths.fixtures.appendingPathComponent("tenant/repo")
    static let platform = TestPaths.examples.appendingPathComponent("platform")
    static let gatewayCRDs = platform.appendingPathComponent("infrastructure/crds/gateway-api")
    static let golden = TestPaths.fixtures.appendingPathComponent("tenant/golden")
    static let demoRecipient = "age1qfmp7u393yr8nwtd6dmxtvu0jqmd76fa0dq5fjj8es7addc6cp4sw7wvpw"

    let directory: TemporaryDirectory
    var root: URL { directory.url.appendingPathComponent("repo") }

    /// Copies `source` (the comment-heavy fixture repository by default).
    init(copying source: URL = TenantFixture.repo) throws {
        directory = try TemporaryDirectory(prefix: "gitopsctl-tenant")
        try FileManager.default.copyItem(at: source, to: root)
    }

    func layout() throws -> TenantsLayout {
        try TenantsLayout.locate(repositoryRoot: root, workingDirectory: root)
    }

    func bytes(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(relative)))
    }

    func text(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    func write(_ relative: String, _ text: String) throws {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Every file of the copy and its bytes, for whole-tree comparisons.
    func snapshot() throws -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for path in TenantFiles.allFiles(under: root) {
            files[path] = try bytes(path)
        }
        return files
    }

    /// A tenant with every option `tenant add` has.
    static func everyOption(_ name: String = "green") throws -> TenantRequest {
        try TenantRequest(
            name: TenantName(name),
            owners: [TenantOwner(parsing: "Group:\(name)-admins"), TenantOwner(parsing: "User:alice"),
                     TenantOwner(parsing: "ServiceAccount:ci:deployer")],
            namespaceQuota: 5,
            resources: .init(cpuRequests: ResourceQuantity("4", option: "--cpu-requests"),
                             cpuLimits: ResourceQuantity("8", option: "--cpu-limits"),
                             memoryRequests: ResourceQuantity("8Gi", option: "--memory-requests"),
                             memoryLimits: ResourceQuantity("16Gi", option: "--memory-limits"),
                             defaultCPU: ResourceQuantity("250m", option: "--default-cpu"),
                             defaultMemory: ResourceQuantity("256Mi", option: "--default-memory")),
            gateway: .init(host: "*.\(name).example.com", issuer: "letsencrypt-production", gatewayClass: "cilium"),
            apps: .init(url: "https://git.example.com/\(name)/apps.git", branch: "production",
                        path: "./deploy/production", interval: "10m"))
    }

    /// A tenant with nothing but its owner.
    static func noOptions(_ name: String = "plain") throws -> TenantRequest {
        try TenantRequest(name: TenantName(name), owners: [TenantOwner(parsing: "User:bob")])
    }
}

/// The lines of `after` that are not in `before`, when `after` is `before` with whole lines
/// inserted (nil when any original line changed or moved).
func insertedLines(_ before: [UInt8], _ after: [UInt8]) -> [String]? {
    let old = String(decoding: before, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    let new = String(decoding: after, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    var inserted: [String] = []
    var i = 0
    for line in new {
        if i < old.count, old[i] == line { i += 1 } else { inserted.append(String(line)) }
    }
    return i == old.count ? inserted : nil
}
