import GitOpsCore

extension Reporter {
    /// A warning the API server sent, as kubectl prints it: `Warning: <text>`, the label in
    /// yellow when stderr takes colour.
    func apiWarning(_ text: String) {
        stream.write("\(Style.yellow.apply("Warning:", enabled: color)) \(text)\n")
    }

    /// The process's one sink for API warnings. A warning can arrive while a `◎ waiting` status
    /// line is drawn on the terminal: that line is cleared first (the next update redraws it).
    func apiWarningSink(_ terminal: Terminal) -> APIWarningSink {
        let progress = ProgressLine(enabled: terminal.stderrIsTerminal)
        return APIWarningSink { [self] text in
            progress.clear()
            apiWarning(text)
        }
    }
}

extension Invocation {
    /// The transport for a command that talks to a cluster: the kubeconfig the options name,
    /// request lines under `--verbose`, and the server's warnings on stderr.
    func kubeTransport(_ source: KubeconfigSource, options: TransportOptions = TransportOptions()) throws -> KubeTransport {
        var options = options
        options.warnings = apiWarnings
        var log: (@Sendable (String) -> Void)?
        if reporter.verbose { log = { @Sendable [reporter] line in reporter.detail(line) } }
        return try KubeTransport(config: try source.resolve(), options: options, log: log)
    }
}
