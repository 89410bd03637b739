import Testing
@testable import GitOpsCore

@Suite struct FluxModelTests {
    func node(_ yaml: String) throws -> YAMLNode {
        try #require(try YAMLStream(yaml: yaml, file: "ks.yaml").documents.first?.root)
    }

    let minimal = """
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: apps
          namespace: team
        spec:
          interval: 10m
          prune: true
          path: ./apps
          sourceRef:
            kind: GitRepository
            name: repo
          dependsOn:
            - name: infra
            - name: db
              namespace: data
          unknownField: kept
        """

    @Test func kustomizationDefaultsAsTheControllerDoes() throws {
        let ks = try FluxKustomization(node: try node(minimal), origin: FluxOrigin(file: "ks.yaml", at: nil))
        #expect(ks.key.description == "Kustomization/team/apps")
        #expect(ks.sourceRef.key == FluxObjectKey(kind: "GitRepository", namespace: "team", name: "repo"))
        #expect(ks.dependsOn.map(\.key.description) == ["Kustomization/team/infra", "Kustomization/data/db"])
        #expect(ks.timeout.description == "9m30s")
        #expect(ks.retryInterval.description == "10m0s")
        #expect(ks.wait == false)
        #expect(ks.node["spec"]?["unknownField"]?.scalar == "kept")
    }

    @Test(arguments: [("1m", "30s"), ("20s", "30s"), ("1h", "59m30s")])
    func timeoutIsIntervalLessThirtySecondsAtLeastThirty(interval: String, timeout: String) throws {
        let yaml = minimal.replacingOccurrences(of: "interval: 10m", with: "interval: \(interval)")
        let ks = try FluxKustomization(node: try node(yaml), origin: FluxOrigin(file: "ks.yaml", at: nil))
        #expect(ks.timeout.description == timeout)
    }

    @Test(arguments: [
        ("kustomize.toolkit.fluxcd.io/v1", "kustomize.toolkit.fluxcd.io/v1beta1",
         "ks.yaml:1:13: Kustomization/team/apps: apiVersion: unsupported apiVersion \"kustomize.toolkit.fluxcd.io/v1beta1\", expected kustomize.toolkit.fluxcd.io/v1"),
        ("  prune: true\n", "",
         "ks.yaml:7:3: Kustomization/team/apps: spec.prune: required field is missing"),
        ("kind: GitRepository\n", "kind: HelmRepository\n",
         "ks.yaml:11:11: Kustomization/team/apps: spec.sourceRef.kind: unsupported kind \"HelmRepository\", expected one of OCIRepository, GitRepository, Bucket, ExternalArtifact"),
        ("interval: 10m", "interval: ten",
         "ks.yaml:7:13: Kustomization/team/apps: spec.interval: invalid duration \"ten\", expected e.g. 30s, 5m, 1h30m"),
        ("    - name: infra\n", "    - namespace: x\n",
         "ks.yaml:14:7: Kustomization/team/apps: spec.dependsOn[0].name: required field is missing"),
    ])
    func badInputNamesFileLineAndField(old: String, new: String, message: String) throws {
        let yaml = minimal.replacingOccurrences(of: old, with: new)
        let origin = FluxOrigin(file: "ks.yaml", at: YAMLMark(line: 1, column: 1, offset: 0))
        #expect(throws: FluxError.self) { try FluxKustomization(node: try node(yaml), origin: origin) }
        do {
            _ = try FluxKustomization(node: try node(yaml), origin: origin)
        } catch let error as FluxError {
            #expect(error.description == message)
        }
    }

    @Test func helmReleaseChartAndReleaseNameDefaults() throws {
        let yaml = """
            apiVersion: helm.toolkit.fluxcd.io/v2
            kind: HelmRelease
            metadata: {name: podinfo, namespace: apps}
            spec:
              interval: 5m
              targetNamespace: web
              chart:
                spec:
                  chart: podinfo
                  sourceRef: {kind: HelmRepository, name: podinfo, namespace: flux-system}
              dependsOn: [{name: redis}]
              valuesFrom: [{kind: ConfigMap, name: values}]
            """
        let hr = try FluxHelmRelease(node: try node(yaml), origin: FluxOrigin(file: "hr.yaml", at: nil))
        #expect(hr.releaseName == "web-podinfo")
        #expect(hr.chart.version == "*")
        #expect(hr.chart.source.key.description == "HelmRepository/flux-system/podinfo")
        #expect(hr.dependsOn.map(\.key.description) == ["HelmRelease/apps/redis"])
        #expect(hr.valuesFrom.first?.valuesKey == "values.yaml")
    }

    @Test func helmReleaseNeedsExactlyOneOfChartAndChartRef() throws {
        let yaml = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: a}\nspec:\n  interval: 5m\n"
        #expect(throws: FluxError.self) { try FluxHelmRelease(node: try node(yaml), origin: FluxOrigin(file: "hr.yaml", at: nil)) }
    }

    @Test(arguments: [("30s", 30_000), ("1m30s", 90_000), ("1.5h", 5_400_000), ("500ms", 500)])
    func durationsParseAndPrintLikeGo(text: String, milliseconds: Int64) throws {
        let duration = try #require(FluxDuration(text))
        #expect(duration.milliseconds == milliseconds)
        #expect(FluxDuration(duration.description) == duration)
    }

    @Test func inventoryIdsFollowTheController() throws {
        let entry = InventoryEntry(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole",
                                   namespace: "", name: "system:foo")
        #expect(entry.id == "_system__foo_rbac.authorization.k8s.io_ClusterRole")
        let ns = InventoryEntry(group: "", version: "v1", kind: "Namespace", namespace: "", name: "a")
        let deploy = InventoryEntry(group: "apps", version: "v1", kind: "Deployment", namespace: "a", name: "a")
        let crd = InventoryEntry(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", namespace: "", name: "x")
        let klass = InventoryEntry(group: "", version: "v1", kind: "GatewayClass", namespace: "", name: "c")
        #expect([deploy, klass, ns, crd].sorted(by: InventoryEntry.applyOrder) == [crd, ns, klass, deploy])
    }
}
