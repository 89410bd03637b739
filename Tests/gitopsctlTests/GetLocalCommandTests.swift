import Foundation
import Testing
import TestSupport

/// `gitopsctl get ks|hr --local`: the flux get table from the checkout.
@Suite
struct GetLocalCommandTests {
    static let platform = TestPaths.examples.appendingPathComponent("platform")

    func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    @Test func kustomizationsFromTheCheckout() async throws {
        let result = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "--local", "-A"], in: Self.platform)
        #expect(result.status == 0, "\(result.stderrText)")
        let table = rows(result.stdoutText)
        #expect(table.first == ["NAMESPACE", "NAME", "REVISION", "SUSPENDED", "READY", "MESSAGE"])
        #expect(table.dropFirst().map { $0[1] } == ["flux-system", "infra-configs", "infra-controllers", "infra-crds",
                                                     "tenants", "xonery-apps"])
        let crds = try #require(table.first { $0.count > 1 && $0[1] == "infra-crds" })
        #expect(crds[3] == "False" && crds[4] == "True")
        #expect(crds[5] == "Built 3 objects from ./infrastructure/crds")
        #expect(crds[2].range(of: #"^[^@]+@sha1:[0-9a-f]{8}$"#, options: .regularExpression) != nil)
        let external = try #require(table.last)
        #expect(external[4] == "Unknown")
    }

    @Test func helmReleasesShowTheirChart() async throws {
        let result = try await ProcessRunner.gitopsctlOffPool(["get", "hr", "cilium", "--local", "-n", "kube-system"], in: Self.platform)
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(rows(result.stdoutText).last == ["cilium", "cilium@1.16.5", "False", "True",
                                                 "Chart from HelmRepository/flux-system/cilium"])
    }

    /// A `chartRef` to an OCIRepository: the chart is the URL's last segment, the version its
    /// `ref` (home-ops pins tags).
    @Test func chartRefToAnOCIRepositoryShowsTheChartAndTag() async throws {
        let homeOps = TestPaths.fixtures.appendingPathComponent("repos/home-ops")
        let result = try await ProcessRunner.gitopsctlOffPool(["get", "hr", "echo", "--local", "-n", "default", "--repo", homeOps.path])
        #expect(result.status == 0, "\(result.stderrText)")
        #expect(rows(result.stdoutText).last == ["echo", "app-template@3.6.1", "False", "True",
                                                 "Chart from OCIRepository/default/echo"])
        let tree = try await ProcessRunner.gitopsctlOffPool(["tree", "ks", "cilium", "--repo", homeOps.path])
        #expect(tree.stdoutText.contains(
            "HelmRelease/kube-system/cilium (chart cilium@1.16.5 from OCIRepository/kube-system/cilium)"), "\(tree.stdoutText)")
    }

    @Test func missingNameIsReportedLikeFlux() async throws {
        let result = try await ProcessRunner.gitopsctlOffPool(["get", "ks", "nope", "--local"], in: Self.platform)
        #expect(result.status == 1)
        #expect(result.stderrText.contains("Kustomization object 'nope' not found in \"flux-system\" namespace of the repository"))
    }

    @Test func gitSourcesShowTheCheckout() async throws {
        let result = try await ProcessRunner.gitopsctlOffPool(["get", "sources", "git", "--local", "-A", "--no-header"], in: Self.platform)
        #expect(result.status == 0, "\(result.stderrText)")
        let table = rows(result.stdoutText)
        #expect(table.map { $0[1] } == ["flux-system", "xonery-apps"])
        #expect(table.first?[4] == "True")
        #expect(table.last?[5] == "Not fetched offline: https://git.example.com/xonery/apps.git")
    }
}
