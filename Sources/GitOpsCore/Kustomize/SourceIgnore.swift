import Foundation

/// source-controller's exclusion rules for an artifact: `.git` and friends always, the
/// default patterns when no `.sourceignore` exists, and every `.sourceignore` file from the
/// root down, each scoped to its own directory (gitignore syntax).
struct SourceIgnore {
    struct Pattern {
        var base: String
        var glob: String
        var negated: Bool
        var directoryOnly: Bool
        var anchored: Bool
    }

    let root: String
    private(set) var patterns: [Pattern] = []

    static let alwaysExcluded: Set<String> = [".git", ".gitignore", ".gitmodules", ".gitattributes"]
    static let defaults = [
        "*.jpg", "*.jpeg", "*.gif", "*.png", "*.wmv", "*.flv", "*.tar.gz", "*.zip",
        ".github/", ".circleci/", ".travis.yml", ".gitlab-ci.yml", "appveyor.yml", ".drone.yml",
        "cloudbuild.yaml", "codeship-services.yml", "codeship-steps.yml",
        "**/.goreleaser.yml", "**/.sops.yaml", "**/.flux.yaml",
    ]

    init(root: String) {
        self.root = root
        var files: [String] = []
        SourceIgnore.findIgnoreFiles(root, into: &files)
        if files.isEmpty {
            patterns = SourceIgnore.defaults.compactMap { SourceIgnore.parse($0, base: root) }
        }
        for file in files {
            let base = (file as NSString).deletingLastPathComponent
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            patterns += text.split(whereSeparator: \.isNewline).compactMap { SourceIgnore.parse(String($0), base: base) }
        }
    }

    private static func findIgnoreFiles(_ dir: String, into files: inout [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.sorted() ?? []
        if names.contains(".sourceignore") { files.append(dir + "/.sourceignore") }
        for name in names where name != ".git" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir + "/" + name, isDirectory: &isDirectory), isDirectory.boolValue {
                findIgnoreFiles(dir + "/" + name, into: &files)
            }
        }
    }

    static func parse(_ line: String, base: String) -> Pattern? {
        var text = line.trimmingCharacters(in: .whitespaces)
        if text.isEmpty || text.hasPrefix("#") { return nil }
        var negated = false
        if text.hasPrefix("!") { negated = true; text.removeFirst() }
        var directoryOnly = false
        if text.hasSuffix("/") { directoryOnly = true; text.removeLast() }
        let anchored = text.dropLast().contains("/") || text.hasPrefix("/")
        if text.hasPrefix("/") { text.removeFirst() }
        return Pattern(base: base, glob: text, negated: negated, directoryOnly: directoryOnly, anchored: anchored)
    }

    func excludes(_ path: String, isDirectory: Bool) -> Bool {
        let name = (path as NSString).lastPathComponent
        if SourceIgnore.alwaysExcluded.contains(name) { return true }
        var excluded = false
        for p in patterns where FileLoader.isWithin(path, p.base) && path != p.base {
            if p.directoryOnly && !isDirectory { continue }
            let relative = String(path.dropFirst(p.base.count + 1))
            let matched = p.anchored ? Glob.matches(p.glob, relative) : Glob.matches(p.glob, name)
            if matched { excluded = !p.negated }
        }
        return excluded
    }
}

/// gitignore-style glob matching: `*` within a path segment, `**` across segments, `?`, `[...]`.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        match(Array(pattern.unicodeScalars)[...], Array(text.unicodeScalars)[...])
    }

    private static func match(_ p: ArraySlice<Unicode.Scalar>, _ t: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let c = p.first else { return t.isEmpty }
        if c == "*" {
            if p.dropFirst().first == "*" {
                var rest = p.dropFirst(2)
                // `**/` stands for whole directories: what follows starts at a segment boundary
                // (`**/.sops.yaml` matches `a/.sops.yaml`, not `a/x.sops.yaml`).
                let segments = rest.first == "/"
                if segments { rest = rest.dropFirst() }
                var i = t.startIndex
                while true {
                    let boundary = !segments || i == t.startIndex || t[i - 1] == "/"
                    if boundary && match(rest, t[i...]) { return true }
                    if i == t.endIndex { return false }
                    i += 1
                }
            }
            var i = t.startIndex
            while true {
                if match(p.dropFirst(), t[i...]) { return true }
                if i == t.endIndex || t[i] == "/" { return false }
                i += 1
            }
        }
        guard let d = t.first else { return false }
        if c == "?" { return d != "/" && match(p.dropFirst(), t.dropFirst()) }
        if c == "[", let close = p.dropFirst().firstIndex(of: "]") {
            let set = p[(p.startIndex + 1)..<close]
            let negate = set.first == "!" || set.first == "^"
            let members = negate ? set.dropFirst() : set
            var found = false
            var j = members.startIndex
            while j < members.endIndex {
                if j + 2 < members.endIndex, members[j + 1] == "-" {
                    if d.value >= members[j].value && d.value <= members[j + 2].value { found = true }
                    j += 3
                } else {
                    if members[j] == d { found = true }
                    j += 1
                }
            }
            return found != negate && match(p[(close + 1)...], t.dropFirst())
        }
        return c == d && match(p.dropFirst(), t.dropFirst())
    }
}
