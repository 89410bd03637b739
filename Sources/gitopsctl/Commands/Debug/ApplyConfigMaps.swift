import Foundation
import GitOpsCore

extension Command {
    /// Drives bench/cases/kube-apply.sh: server-side applies N ConfigMaps.
    static let applyConfigMaps = Command(
        name: "apply-configmaps",
        abstract: "Server-side apply N generated ConfigMaps",
        options: Option.cluster + [
            .value("count", .integer, "How many ConfigMaps", default: "1000"),
            .value("parallel", .integer, "Requests in flight at once", default: "8"),
            .flag("fresh-connections", "Open a new connection for every request (no reuse)"),
        ],
        hidden: true,
        body: { invocation in
            let arguments = invocation.arguments
            let count = arguments.integer("count") ?? 1000
            let namespace = arguments.string("namespace") ?? "default"
            var options = TransportOptions()
            if arguments.flag("fresh-connections") { options.maxIdleConnections = 0 }
            let source = KubeconfigSource(explicitPath: arguments.string("kubeconfig"), context: arguments.string("context"))
            let client = KubeClient(transport: try invocation.kubeTransport(source, options: options))
            let objects = (0..<count).map { index in
                KubeObject(.object([
                    ("apiVersion", .string("v1")), ("kind", .string("ConfigMap")),
                    ("metadata", .object([("name", .string("bench-\(index)")), ("namespace", .string(namespace))])),
                    ("data", .object([("index", .string(String(index)))])),
                ]))
            }
            let applied = try await client.applyAll(objects, parallelism: arguments.integer("parallel") ?? 8)
            invocation.reporter.success("applied \(applied.count) ConfigMaps")
            return 0
        })
}

extension Command {
    /// Drives the discovery half of bench/cases/kube-apply.sh: reads every API group once.
    static let discover = Command(
        name: "discover",
        abstract: "Read the server's API discovery and print how many kinds it serves",
        options: Option.cluster,
        hidden: true,
        body: { invocation in
            let arguments = invocation.arguments
            let source = KubeconfigSource(explicitPath: arguments.string("kubeconfig"), context: arguments.string("context"))
            let client = KubeClient(transport: try invocation.kubeTransport(source))
            let resources = try await client.serverResources()
            let groups = Set(resources.map(\.kind.group))
            invocation.output.write("\(resources.count) kinds in \(groups.count) API groups\n")
            return 0
        })
}
