import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

@Suite("tree --cluster pieces")
struct ClusterTreeTests {
    @Test(arguments: [
        ("flux-system_podinfo_apps_Deployment", InventoryObject(namespace: "flux-system", name: "podinfo", group: "apps", kind: "Deployment")),
        ("_podinfo__Namespace", InventoryObject(namespace: "", name: "podinfo", group: "", kind: "Namespace")),
        ("_system__foo_rbac.authorization.k8s.io_ClusterRole",
         InventoryObject(namespace: "", name: "system:foo", group: "rbac.authorization.k8s.io", kind: "ClusterRole")),
        ("apps_web__ConfigMap", InventoryObject(namespace: "apps", name: "web", group: "", kind: "ConfigMap")),
    ])
    func inventoryIDsParseLikeCliUtils(id: String, expected: InventoryObject) {
        #expect(InventoryObject(inventoryID: id) == expected)
    }

    @Test(arguments: ["nounderscore", "a_b", ""])
    func malformedInventoryIDsAreRejected(id: String) {
        #expect(InventoryObject(inventoryID: id) == nil)
    }

    @Test func gunzipReadsWhatPythonGzipWrote() throws {
        let text = String(repeating: "apiVersion: v1\nkind: ConfigMap\n", count: 5000)
        let result = try ProcessRunner.run(tool: "python3", ["-c", "import gzip,sys; sys.stdout.buffer.write(gzip.compress(sys.stdin.buffer.read()))"],
                                           stdin: Data(text.utf8))
        let zipped = [UInt8](result.stdout)
        #expect(Gunzip.isGzip(zipped))
        #expect(Gunzip.decompress(zipped).map { String(decoding: $0, as: UTF8.self) } == text)
        #expect(Gunzip.decompress(Array(zipped.prefix(zipped.count / 2))) == nil)
    }
}
