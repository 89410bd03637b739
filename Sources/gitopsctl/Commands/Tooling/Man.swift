#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import GitOpsCore

extension Command {
    static let man = Command(
        name: "man",
        abstract: "Write the manual pages, or print one",
        discussion: """
        With --output, writes gitopsctl.1 and one page per command (gitopsctl-reconcile-kustomization.1) \
        into DIR. Without it, prints the page of the named command (default gitopsctl.1) to stdout.
        """,
        examples: [
            Example(comment: "Install the pages", command: "gitopsctl man --output /usr/local/share/man/man1"),
            Example(comment: "Read one page", command: "gitopsctl man reconcile ks | man -l -"),
        ],
        positionals: [Positional(name: "COMMAND", kind: .string, abstract: "The command words", optional: true,
                                 variadic: true)],
        options: [.value("output", .directory, "Write every page into this directory")],
        body: { invocation in
            let root = invocation.path.commands[0]
            let renderer = ManPageRenderer(root: root, version: BuildInfo.version)
            if let directory = invocation.arguments.string("output") {
                try ManPageWriter.write(renderer.pages(), to: directory)
                return 0
            }
            let path = try invocation.commandPath(named: invocation.arguments.positionals)
            invocation.output.write(renderer.page(for: path))
            return 0
        })
}

/// Writes man pages into a directory, creating it when needed.
enum ManPageWriter {
    struct Failure: UserFacingError {
        var path: String
        var reason: String
        var description: String { "cannot write \(path): \(reason)" }
    }

    static func write(_ pages: [(fileName: String, contents: String)], to directory: String) throws {
        let base = URL(fileURLWithPath: directory, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        } catch {
            throw Failure(path: directory, reason: "\(error)")
        }
        for page in pages {
            let file = base.appendingPathComponent(page.fileName)
            do {
                try Data(page.contents.utf8).write(to: file, options: .atomic)
            } catch {
                throw Failure(path: file.path, reason: "\(error)")
            }
        }
    }
}
