extension Command {
    /// Hidden developer commands that run one library layer on its own, for benchmarks and bug
    /// reports; not in help, completion or man pages.
    static let debug = Command(
        name: "debug",
        abstract: "Developer tools: run one library layer on its own",
        subcommands: [.parseYAML, .applyConfigMaps, .discover],
        hidden: true)
}
