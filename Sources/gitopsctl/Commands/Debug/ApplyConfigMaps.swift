import Foundation
import GitOpsCore

extension Command {
    /// Hidden developer commands (benchmarks, diagnostics); not in help, completion or man pages.
    static let debug = Command(
        name: "debug",
        abstract: "Developer tools for benchmarking and diagnosing gitopsctl",
        subcommands: [.applyConfigMaps],
        hidden: true)

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
            let client = KubeClient(transport: try KubeTransport(config: try source.resolve(), options: options))
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
