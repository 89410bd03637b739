/// The options CLI.md defines once for every command they apply to. Commands list the ones
/// they take (`options: [.namespace, .timeout(), …]`); the universal ones are accepted everywhere.
extension Option {
    /// Accepted by every command, also before the command words.
    static let universal: [Option] = [help, noColor, verbose]

    static let help = Option.flag("help", short: "h", "Show help for this command")
    static let noColor = Option.flag("no-color", "Never colour output (colour is on only for a terminal without NO_COLOR)")
    static let verbose = Option.flag("verbose", short: "v", "Print more detail about each step")

    static let repo = Option.value("repo", .directory,
                                   "The GitOps repository checkout (default: the git work tree containing the current directory)")
    static let kubeconfig = Option.value("kubeconfig", .file,
                                         "Kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)")
    static let context = Option.value("context", .resource(.context), "The kubeconfig context to use")
    static let namespace = Option.value("namespace", short: "n", .resource(.namespace),
                                        "Namespace of the Flux objects", default: "flux-system")
    static let allNamespaces = Option.flag("all-namespaces", short: "A", "Act on every namespace")
    static let clusterPath = Option.value("path", .directory,
                                          "The cluster directory in the repository, e.g. clusters/production")

    /// `-o/--output` choosing among `formats`; the first is the default.
    static func output(_ formats: [OutputFormat] = [.table, .json, .yaml]) -> Option {
        .value("output", short: "o", .choice(formats.map(\.rawValue)), "Output format",
               default: formats.first?.rawValue)
    }

    /// `--timeout`, for every command that waits.
    static func timeout(default value: String = "5m") -> Option {
        .value("timeout", .duration, "How long to wait before giving up", default: value)
    }

    /// Options of every command that talks to a cluster.
    static let cluster: [Option] = [kubeconfig, context, namespace]
}
