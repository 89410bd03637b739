/// Writes nodes as block-style YAML the way go-yaml v3 lays it out (sops writes through it),
/// with the indentation and sequence placement of the tool being mirrored.
public struct YAMLEmitter: Sendable {
    /// Where a block sequence that is a mapping value starts.
    public enum SequenceIndent: Sendable {
        /// Indented under its key, as go-yaml v3 writes (`key:\n    - item`).
        case indented
        /// At the key's column, as kubectl and kustomize write (`key:\n- item`).
        case compact
    }

    /// How scalar quoting is chosen.
    public enum ScalarStyles: Sendable {
        /// Keep each scalar's source style when it is valid where the scalar goes.
        case preserve
        /// go-yaml v3 encoding typed values: plain unless that would change the type or meaning,
        /// literal blocks for multi-line strings, double quotes otherwise.
        case minimal
    }

    public var indent: Int
    public var sequenceIndent: SequenceIndent
    public var scalarStyles: ScalarStyles
    /// Fold long plain and quoted scalars at spaces past this column (go-yaml's default is 80);
    /// nil never folds.
    public var lineWidth: Int?

    public init(indent: Int = 2, sequenceIndent: SequenceIndent = .compact,
                scalarStyles: ScalarStyles = .preserve, lineWidth: Int? = nil) {
        self.indent = max(2, min(indent, 9))
        self.sequenceIndent = sequenceIndent
        self.scalarStyles = scalarStyles
        self.lineWidth = lineWidth
    }

    /// Kubernetes manifests and kustomization files as kubectl/kustomize write them.
    public static let manifest = YAMLEmitter()
    /// What `kustomize build` (kyaml on go-yaml v3) writes: 2-space indent, sequences at their
    /// key's column, typed quoting, long strings folded at 80 columns.
    public static let kustomize = YAMLEmitter(indent: 2, sequenceIndent: .compact, scalarStyles: .minimal, lineWidth: 80)
    /// go-yaml v3 with sops's 4-space indent: what `sops` writes for YAML files (sops 3.11 does not
    /// fold long lines).
    public static let sops = YAMLEmitter(indent: 4, sequenceIndent: .indented, scalarStyles: .minimal)

    /// The whole stream: documents separated by `---`, each ending with a newline.
    public func emit(_ documents: [YAMLDocument]) -> String {
        var writer = YAMLWriter(options: self)
        for (index, document) in documents.enumerated() {
            writer.writeDocument(document, first: index == 0)
        }
        return writer.finish()
    }

    public func emit(_ stream: YAMLStream) -> String { emit(stream.documents) }

    /// One node as a single document.
    public func emit(_ node: YAMLNode) -> String { emit([YAMLDocument(root: node)]) }
}

/// The state of one emit: output text and the current column.
struct YAMLWriter {
    let options: YAMLEmitter
    private(set) var out = ""
    private var column = 0
    private var atStart = true
    /// Anchored nodes written so far in this document, for re-writing aliases to them.
    private var anchored: [String: YAMLNode] = [:]

    init(options: YAMLEmitter) { self.options = options }

    /// A writer continuing text that already has content on the current line (for splicing).
    init(options: YAMLEmitter, continuingLine: Bool) {
        self.options = options
        atStart = !continuingLine
    }

    mutating func finish() -> String {
        if !atStart { out += "\n" }
        return out
    }

    // MARK: lines

    private mutating func write(_ s: String) {
        out += s
        column += s.unicodeScalars.count
    }

    private mutating func newLine(at indent: Int) {
        if !atStart { out += "\n" }
        atStart = false
        out += String(repeating: " ", count: indent)
        column = indent
    }

    private mutating func emptyLine() {
        if !atStart { out += "\n" }
        atStart = false
        column = 0
    }

    private mutating func writeCommentLines(_ text: String?, at indent: Int) {
        guard let text else { return }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { emptyLine() } else { newLine(at: indent); write(String(line)) }
        }
    }

    private mutating func writeLineComment(_ text: String?) {
        guard let text else { return }
        write(" " + text)
    }

    // MARK: documents

    mutating func writeDocument(_ document: YAMLDocument, first: Bool) {
        anchored.removeAll()
        writeCommentLines(document.commentsBeforeStart, at: 0)
        if !first || (document.explicitStart && options.scalarStyles == .preserve) {
            newLine(at: 0)
            write("---")
        }
        writeCommentLines(document.comments.head, at: 0)
        if let root = document.root, !Self.isEmptyDocumentValue(root) {
            if document.comments.head != nil { emptyLine() }
            writeRoot(root)
        }
        writeCommentLines(document.comments.foot, at: 0)
        if document.explicitEnd && options.scalarStyles == .preserve {
            newLine(at: 0)
            write("...")
        }
    }

    /// The empty plain scalar libyaml reports for `---` followed by nothing: writing no line
    /// reads back the same.
    static func isEmptyDocumentValue(_ node: YAMLNode) -> Bool {
        node.scalar == "" && node.style == .plain && node.extras == nil
    }

    private mutating func writeRoot(_ node: YAMLNode) {
        writeCommentLines(node.comments.head, at: 0)
        switch node.content {
        case let .mapping(pairs) where !pairs.isEmpty && !writesFlow(node):
            writeProperties(node, leadingSpace: false, thenNewLine: true)
            writeMappingBody(pairs, indent: 0, firstOnCurrentLine: false)
        case let .sequence(items) where !items.isEmpty && !writesFlow(node):
            writeProperties(node, leadingSpace: false, thenNewLine: true)
            writeSequenceBody(items, indent: 0, firstOnCurrentLine: false)
        default:
            newLine(at: 0)
            writeInline(node, parentIndent: -1, inSequenceItem: false, leadingSpace: false)
            writeLineComment(node.comments.line)
        }
        writeCommentLines(node.comments.foot, at: 0)
    }

    // MARK: block collections

    /// Indentation of a child block, as go-yaml v3 computes it: two past a sequence's dash,
    /// otherwise the next multiple of the indent.
    private func childIndent(_ parent: Int, inSequenceItem: Bool) -> Int {
        if parent < 0 { return 0 }
        if inSequenceItem { return parent + 2 }
        return options.indent * ((parent + options.indent) / options.indent)
    }

    mutating func writeMappingBody(_ pairs: [YAMLPair], indent: Int, firstOnCurrentLine: Bool) {
        for (i, pair) in pairs.enumerated() {
            let key = pair.key
            if i == 0 && firstOnCurrentLine {
                // Comments above the first entry of `- key: v` go above the dash, where
                // the sequence item already wrote them.
            } else {
                writeCommentLines(key.comments.head, at: indent)
                newLine(at: indent)
            }
            if isSimpleKey(key) {
                writeKey(key)
            } else {
                write("? ")
                writeKey(key)
                newLine(at: indent)
            }
            write(":")
            let lineComment = key.comments.line ?? pair.value.comments.line
            writeValue(pair.value, parentIndent: indent, inSequenceItem: false, lineComment: lineComment)
            writeCommentLines(key.comments.foot ?? pair.value.comments.foot, at: indent)
        }
    }

    mutating func writeSequenceBody(_ items: [YAMLNode], indent: Int, firstOnCurrentLine: Bool) {
        for (i, item) in items.enumerated() {
            if !(i == 0 && firstOnCurrentLine) {
                writeCommentLines(item.comments.head, at: indent)
                newLine(at: indent)
            }
            write("-")
            writeValue(item, parentIndent: indent, inSequenceItem: true, lineComment: item.comments.line)
            writeCommentLines(item.comments.foot, at: indent)
        }
    }

    /// Writes a value after `key:` or `-`.
    mutating func writeValue(_ node: YAMLNode, parentIndent: Int, inSequenceItem: Bool, lineComment: String?) {
        if let name = node.alias, options.scalarStyles == .preserve, let original = anchored[name], original == node {
            write(" *" + name)
            writeLineComment(lineComment)
            return
        }
        let blockChild = isBlockCollection(node)
        guard blockChild else {
            writeInline(node, parentIndent: parentIndent, inSequenceItem: inSequenceItem, leadingSpace: true,
                        lineComment: lineComment)
            if !isBlockScalar(node) { writeLineComment(lineComment) }
            return
        }
        var child = childIndent(parentIndent, inSequenceItem: inSequenceItem)
        if case let .sequence(items) = node.content {
            if options.sequenceIndent == .compact && !inSequenceItem && parentIndent >= 0 { child = parentIndent }
            writeProperties(node, leadingSpace: true, thenNewLine: false)
            // `- - a`: a sequence in a sequence starts on the dash's line, as go-yaml writes it.
            if inSequenceItem && writtenAnchor(node) == nil && writtenTag(node) == nil && lineComment == nil
                && items.first?.comments.head == nil {
                write(" ")
                writeSequenceBody(items, indent: child, firstOnCurrentLine: true)
            } else {
                writeLineComment(lineComment)
                writeSequenceBody(items, indent: child, firstOnCurrentLine: false)
            }
        } else if case let .mapping(pairs) = node.content {
            writeProperties(node, leadingSpace: true, thenNewLine: false)
            if inSequenceItem && writtenAnchor(node) == nil && writtenTag(node) == nil && lineComment == nil
                && pairs.first?.key.comments.head == nil {
                write(" ")
                writeMappingBody(pairs, indent: child, firstOnCurrentLine: true)
            } else {
                writeLineComment(lineComment)
                writeMappingBody(pairs, indent: child, firstOnCurrentLine: false)
            }
        }
    }

    /// Flow style is kept when preserving; typed values (sops) have no style, so go block.
    /// A flow collection holding comments is written in block style so the comments survive.
    private func writesFlow(_ node: YAMLNode) -> Bool {
        node.style == .flow && options.scalarStyles == .preserve && !Self.holdsComments(node)
    }

    private static func holdsComments(_ node: YAMLNode) -> Bool {
        switch node.shape {
        case .scalar: return false
        case let .sequence(items): return items.contains { !$0.comments.isEmpty || holdsComments($0) }
        case let .mapping(pairs):
            return pairs.contains { !$0.key.comments.isEmpty || !$0.value.comments.isEmpty || holdsComments($0.value) }
        }
    }

    func isBlockCollection(_ node: YAMLNode) -> Bool {
        guard !writesFlow(node) else { return false }
        switch node.shape {
        case let .mapping(pairs): return !pairs.isEmpty
        case let .sequence(items): return !items.isEmpty
        case .scalar: return false
        }
    }

    private func isBlockScalar(_ node: YAMLNode) -> Bool {
        guard case let .scalar(text) = node.content else { return false }
        let style = scalarStyle(for: node, text: text, isKey: false, inFlow: false)
        return style == .literal || style == .folded
    }

    /// Anchor and written tag before a node.
    private mutating func writeProperties(_ node: YAMLNode, leadingSpace: Bool, thenNewLine: Bool) {
        var parts: [String] = []
        if let anchor = writtenAnchor(node) {
            parts.append("&" + anchor)
            anchored[anchor] = node
        }
        if let tag = writtenTag(node) { parts.append(tag) }
        guard !parts.isEmpty else { return }
        if thenNewLine { newLine(at: 0) } else if leadingSpace { write(" ") }
        write(parts.joined(separator: " "))
    }

    /// Aliases are expanded on read, so an anchor only matters to a reader of the preserved file.
    private func writtenAnchor(_ node: YAMLNode) -> String? {
        options.scalarStyles == .preserve ? node.anchor : nil
    }

    /// The tag to write, or nil when it is implied by how the scalar will be written.
    private func writtenTag(_ node: YAMLNode) -> String? {
        guard let tag = node.tag, !node.tagIsImplicit else { return nil }
        if options.scalarStyles == .minimal, case let .scalar(text) = node.content {
            // go-yaml v3 drops tags the value would resolve to anyway; `!!str` turns into quoting.
            if tag == YAMLTag.str { return nil }
            if YAMLScalarResolver.tag(of: YAMLScalarResolver.resolvePlain(text, profile: .goYAMLv3)) == tag { return nil }
        }
        if tag.hasPrefix("!!") || tag.hasPrefix("!") { return tag }
        return "!<\(tag)>"
    }

    // MARK: keys, flow and scalars

    /// Whether `key` can be written as `key:`. Like libyaml and go-yaml, a scalar key longer
    /// than 128 bytes (with its anchor and tag) is written after `? `: readers take a simple key
    /// only up to 1024 characters.
    private func isSimpleKey(_ key: YAMLNode) -> Bool {
        guard case let .scalar(text) = key.content else { return true }
        let properties = (writtenAnchor(key)?.utf8.count ?? 0) + (writtenTag(key)?.utf8.count ?? 0)
        return properties + text.utf8.count <= 128
    }

    private mutating func writeKey(_ key: YAMLNode) {
        switch key.content {
        case let .scalar(text):
            if options.scalarStyles == .minimal && text == "<<" && !key.style.isQuotedOrBlock {
                // go-yaml v3 reads a plain `<<` as a merge key and writes it back tagged; sops
                // keeps it unmerged, so its files carry `!!merge <<:`.
                write("!!merge <<")
                return
            }
            writeProperties(key, leadingSpace: false, thenNewLine: false)
            if writtenAnchor(key) != nil || writtenTag(key) != nil { write(" ") }
            let style = scalarStyle(for: key, text: text, isKey: true, inFlow: false)
            writeScalar(text, style: style, contentIndent: column, allowBreaks: false)
        default:
            write(flowText(key))
        }
    }

    private mutating func writeInline(_ node: YAMLNode, parentIndent: Int, inSequenceItem: Bool,
                                      leadingSpace: Bool, lineComment: String? = nil) {
        if leadingSpace { write(" ") }
        if node.isScalar {
            let hasProperties = writtenAnchor(node) != nil || writtenTag(node) != nil
            writeProperties(node, leadingSpace: false, thenNewLine: false)
            if hasProperties { write(" ") }
        } else if let anchor = writtenAnchor(node) {
            // Collections written inline carry their properties in `flowText`.
            anchored[anchor] = node
        }
        switch node.content {
        case let .scalar(text):
            let style = scalarStyle(for: node, text: text, isKey: false, inFlow: false)
            let contentIndent = parentIndent < 0 ? options.indent : childIndent(parentIndent, inSequenceItem: inSequenceItem)
            if style == .literal || style == .folded {
                // A reader measures the indentation indicator from the enclosing collection's
                // column; go-yaml writes its indent setting, which agrees in the usual layouts.
                let indicator = contentIndent - max(parentIndent, 0)
                writeBlockScalar(text, style: style, contentIndent: contentIndent, indicator: indicator,
                                 lineComment: lineComment)
            } else {
                writeScalar(text, style: style, contentIndent: contentIndent, allowBreaks: true)
            }
        default:
            write(flowText(node))
        }
    }

    /// A collection in flow style on one line: `[a, b]`, `{a: 1}`, `[]`, `{}`.
    private func flowText(_ node: YAMLNode) -> String {
        var props: [String] = []
        if let anchor = writtenAnchor(node) { props.append("&" + anchor) }
        if let tag = writtenTag(node) { props.append(tag) }
        let prefix = props.isEmpty ? "" : props.joined(separator: " ") + " "
        switch node.content {
        case let .scalar(text):
            let style = scalarStyle(for: node, text: text, isKey: true, inFlow: true)
            var w = YAMLWriter(options: YAMLEmitter(indent: options.indent, sequenceIndent: options.sequenceIndent,
                                                    scalarStyles: options.scalarStyles, lineWidth: nil))
            w.atStart = false
            w.writeScalar(text, style: style, contentIndent: 0, allowBreaks: false)
            return prefix + w.out
        case let .sequence(items):
            return prefix + "[" + items.map(flowText).joined(separator: ", ") + "]"
        case let .mapping(pairs):
            return prefix + "{" + pairs.map { flowText($0.key) + ": " + flowText($0.value) }.joined(separator: ", ") + "}"
        }
    }

    /// Picks the style go-yaml would write (see `YAMLEmitter.ScalarStyles`), then lets the
    /// text veto styles that cannot hold it (yaml_emitter_select_scalar_style).
    func scalarStyle(for node: YAMLNode, text: String, isKey: Bool, inFlow: Bool) -> YAMLStyle {
        let analysis = YAMLScalarAnalysis(text)
        var style: YAMLStyle
        let explicitTag = node.tagIsImplicit ? nil : node.tag
        if options.scalarStyles == .preserve && (node.style.isQuotedOrBlock || explicitTag != nil) {
            style = node.style
        } else if node.style == .plain && node.tag == nil {
            // Typed by resolution: the same text read back resolves the same way.
            style = .plain
        } else if let explicitTag, explicitTag != YAMLTag.str, explicitTag != YAMLTag.binary {
            // A standard tag is written when the text would not imply it; an application tag always.
            style = .plain
        } else {
            style = stringStyle(text, inFlow: inFlow)
        }
        if isKey && analysis.multiline { style = .doubleQuoted }
        if style == .plain {
            if inFlow ? !analysis.flowPlainAllowed : !analysis.blockPlainAllowed { style = .singleQuoted }
            if text.isEmpty && (inFlow || isKey) { style = .singleQuoted }
        }
        if style == .singleQuoted && !analysis.singleQuotedAllowed { style = .doubleQuoted }
        if (style == .literal || style == .folded) && (!analysis.blockAllowed || inFlow || isKey) {
            style = .doubleQuoted
        }
        return style
    }

    /// go-yaml v3's choice for a string value (encode.go stringv): plain unless a reader
    /// would see another type (also YAML 1.1 booleans and sexagesimals), literal when multi-line.
    private func stringStyle(_ text: String, inFlow: Bool) -> YAMLStyle {
        if text.contains("\n") { return inFlow ? .doubleQuoted : .literal }
        guard case .string = YAMLScalarResolver.resolvePlain(text, profile: .goYAMLv3),
              !YAMLScalarResolver.isOldBool(text), !YAMLScalarResolver.isBase60Float(text) else {
            return .doubleQuoted
        }
        return .plain
    }

    private mutating func writeScalar(_ text: String, style: YAMLStyle, contentIndent: Int, allowBreaks: Bool) {
        let width = allowBreaks ? options.lineWidth : nil
        switch style {
        case .singleQuoted:
            writeSingleQuoted(text, contentIndent: contentIndent, width: width)
        case .doubleQuoted:
            writeDoubleQuoted(text, contentIndent: contentIndent, width: width)
        default:
            writePlain(text, contentIndent: contentIndent, width: width)
        }
    }

    private mutating func writePlain(_ text: String, contentIndent: Int, width: Int?) {
        guard let width else { write(text); return }
        let scalars = Array(text.unicodeScalars)
        var chunk = ""
        var spaces = false
        for (i, c) in scalars.enumerated() {
            if c == " " {
                let nextIsSpace = i + 1 < scalars.count && scalars[i + 1] == " "
                if !spaces && column + chunk.unicodeScalars.count > width && !nextIsSpace {
                    write(chunk); chunk = ""
                    newLine(at: contentIndent)
                } else {
                    chunk.unicodeScalars.append(c)
                }
                spaces = true
            } else {
                chunk.unicodeScalars.append(c)
                spaces = false
            }
        }
        write(chunk)
    }

    private mutating func writeSingleQuoted(_ text: String, contentIndent: Int, width: Int?) {
        write("'")
        let scalars = Array(text.unicodeScalars)
        var chunk = ""
        var spaces = false, breaks = false
        for (i, c) in scalars.enumerated() {
            if c == " " {
                if let width, !spaces, column + chunk.unicodeScalars.count > width, i > 0, i < scalars.count - 1,
                   scalars[i + 1] != " " {
                    write(chunk); chunk = ""
                    newLine(at: contentIndent)
                } else {
                    chunk.unicodeScalars.append(c)
                }
                spaces = true
            } else if c == "\n" {
                write(chunk); chunk = ""
                // A line break inside single quotes is written as an empty line (folding).
                if !breaks { emptyLine() }
                emptyLine()
                breaks = true
            } else {
                if breaks {
                    out += String(repeating: " ", count: contentIndent)
                    column = contentIndent
                }
                if c == "'" { chunk += "''" } else { chunk.unicodeScalars.append(c) }
                spaces = false
                breaks = false
            }
        }
        if breaks {
            out += String(repeating: " ", count: contentIndent)
            column = contentIndent
        }
        write(chunk)
        write("'")
    }

    private mutating func writeDoubleQuoted(_ text: String, contentIndent: Int, width: Int?) {
        var chunk = "\""
        let scalars = Array(text.unicodeScalars)
        var spaces = false
        for (i, c) in scalars.enumerated() {
            if let escape = YAMLScalarAnalysis.doubleQuotedEscape(c) {
                chunk += escape
                spaces = false
            } else if c == " " {
                if let width, !spaces, column + chunk.unicodeScalars.count > width, i > 0, i < scalars.count - 1 {
                    write(chunk); chunk = ""
                    newLine(at: contentIndent)
                    if scalars[i + 1] == " " { chunk += "\\" }
                } else {
                    chunk += " "
                }
                spaces = true
            } else {
                chunk.unicodeScalars.append(c)
                spaces = false
            }
        }
        chunk += "\""
        write(chunk)
    }

    private mutating func writeBlockScalar(_ text: String, style: YAMLStyle, contentIndent: Int, indicator: Int,
                                           lineComment: String?) {
        write(style == .literal ? "|" : ">")
        write(YAMLScalarAnalysis.blockHints(text, indent: indicator))
        writeLineComment(lineComment)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if text.hasSuffix("\n") { lines.removeLast() }
        var previousWasText = false
        for line in lines {
            if line.isEmpty {
                emptyLine()
                continue
            }
            // Folded style: a single line break between two text lines needs an empty line,
            // since folding turns a lone break into a space.
            if style == .folded && previousWasText && !line.hasPrefix(" ") { emptyLine() }
            newLine(at: contentIndent)
            write(String(line))
            previousWasText = !line.hasPrefix(" ")
        }
    }
}

extension YAMLEmitter {
    /// An emitter that writes like `stream` was written: its indentation step and whether its
    /// sequences sit under their keys or are indented (kubectl's style when nothing shows).
    public static func matching(_ stream: YAMLStream) -> YAMLEmitter {
        guard let root = stream.documents.lazy.compactMap(\.root).first else { return .manifest }
        return YAMLSplicer.detectStyle(root, bytes: stream.bytes)
    }
}
