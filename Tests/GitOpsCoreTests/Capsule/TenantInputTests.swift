import Testing
@testable import GitOpsCore

@Suite struct TenantInputTests {
    @Test(arguments: ["a", "team-a", "x1", "0day", String(repeating: "a", count: 55)])
    func acceptsDNSLabels(_ name: String) throws {
        #expect(try TenantName(name).value == name)
    }

    @Test(arguments: ["", "Acme", "a_b", "-a", "a-", "a/b", "..", "a..b", "../etc", "a.b", "tenant name",
                      String(repeating: "a", count: 56)])
    func refusesNamesThatAreNotDNSLabels(_ name: String) {
        #expect(throws: CapsuleError.self) { try TenantName(name) }
        do {
            _ = try TenantName(name)
        } catch {
            guard case .invalidTenantName(let given, let reason) = error else { Issue.record("\(error)"); return }
            #expect(given == name)
            #expect(!reason.isEmpty)
        }
    }

    @Test func nameTooLongForItsNamespacesSaysWhichOne() {
        let name = String(repeating: "a", count: 56)
        #expect(throws: CapsuleError.invalidTenantName(
            name: name, reason: "namespace \(name)-gateway would be longer than 63 characters")) { try TenantName(name) }
    }

    @Test(arguments: [
        ("User:alice", TenantOwner.Kind.user, "alice"),
        ("group:team-a", .group, "team-a"),
        ("Group:oidc:platform", .group, "oidc:platform"),
        ("ServiceAccount:flux-system:reconciler", .serviceAccount, "system:serviceaccount:flux-system:reconciler"),
        ("ServiceAccount:system:serviceaccount:ci:deployer", .serviceAccount, "system:serviceaccount:ci:deployer"),
    ])
    func parsesOwners(_ text: String, _ kind: TenantOwner.Kind, _ name: String) throws {
        let owner = try TenantOwner(parsing: text)
        #expect(owner.kind == kind)
        #expect(owner.name == name)
    }

    @Test(arguments: ["alice", "Robot:r2", "User:", "ServiceAccount:only-namespace", "ServiceAccount:Bad_NS:x",
                      "User:two words"])
    func refusesOwnersWithoutAKnownKind(_ text: String) {
        #expect(throws: CapsuleError.invalidOwner(value: text)) { try TenantOwner(parsing: text) }
        #expect(CapsuleError.invalidOwner(value: text).hint?.contains("User:NAME, Group:NAME, ServiceAccount:NAMESPACE:NAME") == true)
    }

    @Test(arguments: ["100m", "2", "0.5", ".5", "512Mi", "8Gi", "1e3", "+1", "1.5G", "16E", "2k"])
    func acceptsKubernetesQuantities(_ text: String) throws {
        #expect(try ResourceQuantity(text, option: "--cpu-limits").value == text)
    }

    @Test(arguments: [
        ("8GB", "8Gi"), ("512mb", "512Mi"), ("1gi", "1Gi"), ("8 Gi", "8Gi"), ("2 cores", "2"), ("4cpu", "4"),
        ("1.5TB", "1.5Ti"), ("abc", nil), ("", nil), ("8Gb", "8Gi"), ("1.2.3", nil),
    ] as [(String, String?)])
    func refusesOtherQuantitiesWithASuggestion(_ text: String, _ suggestion: String?) {
        let expected = CapsuleError.invalidQuantity(option: "--memory-limits", value: text, suggestion: suggestion)
        #expect(throws: expected) { try ResourceQuantity(text, option: "--memory-limits") }
        if let suggestion {
            #expect(expected.hint?.hasPrefix("did you mean \(suggestion)?") == true)
            #expect(ResourceQuantity.isValid(suggestion))
        }
    }

    @Test(arguments: ["team.example.com", "*.team.example.com", "*.team.${CLUSTER_DOMAIN}", "a"])
    func acceptsGatewayHosts(_ host: String) throws {
        #expect(try TenantRequest.Gateway(host: host, issuer: "le", gatewayClass: nil).host == host)
    }

    @Test(arguments: ["", "*.", "Team.example.com", "a..b", "https://team.example.com", "*.*.example.com", "a_b.example.com"])
    func refusesGatewayHostsThatAreNotDNSNames(_ host: String) {
        #expect(throws: CapsuleError.invalidGatewayHost(host)) {
            try TenantRequest.Gateway(host: host, issuer: "le", gatewayClass: nil)
        }
    }

    @Test(arguments: ["git@github.com:team/apps.git", "ftp://example.com/apps", "https://", "apps"])
    func refusesAppsRepositoriesTheGitRepositorySchemaRejects(_ url: String) {
        #expect(throws: CapsuleError.invalidAppsRepository(url)) { try TenantRequest.Apps(url: url) }
    }

    @Test(arguments: ["0", "1d", "5 m", "1.m", "-5m"])
    func refusesIntervalsFluxRejects(_ interval: String) {
        #expect(throws: CapsuleError.invalidInterval(interval)) {
            try TenantRequest.Apps(url: "https://example.com/a.git", interval: interval)
        }
    }

    @Test(arguments: ["30m", "1h30m", "90s", "500ms", "1.5h"])
    func acceptsFluxIntervals(_ interval: String) throws {
        #expect(try TenantRequest.Apps(url: "https://example.com/a.git", interval: interval).interval == interval)
    }

    @Test func requestNeedsAnOwnerAndAPositiveNamespaceQuota() throws {
        let name = try TenantName("team")
        #expect(throws: CapsuleError.noOwner) { try TenantRequest(name: name, owners: []) }
        #expect(throws: CapsuleError.invalidNamespaceQuota(0)) {
            try TenantRequest(name: name, owners: [TenantOwner(kind: .user, name: "a")], namespaceQuota: 0)
        }
    }

    @Test func appsReconcilerBecomesAnOwnerOnce() throws {
        let request = try TenantFixture.everyOption("green")
        let reconciler = TenantOwner.serviceAccount(namespace: "green-system", name: "green-reconciler")
        #expect(request.effectiveOwners.last == reconciler)
        #expect(request.effectiveOwners.filter { $0 == reconciler }.count == 1)
        #expect(try TenantFixture.noOptions().effectiveOwners == [TenantOwner(kind: .user, name: "bob")])
    }
}
