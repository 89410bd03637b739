/// The form `kubectl kustomize` prints objects in: each object goes through JSON and back
/// through go-yaml v2 (sigs.k8s.io/yaml), so comments and quoting styles are gone, map keys
/// come out in go-yaml v2's natural order, numbers are re-typed by their JSON text and long
/// strings fold at 80 columns.
enum ManifestValue {
    static let emitter = YAMLEmitter(indent: 2, sequenceIndent: .compact, scalarStyles: .minimal, lineWidth: 80)

    /// The objects as one multi-document stream, `---` between documents.
    static func render(_ nodes: [YAMLNode]) -> String {
        var out = ""
        for (i, node) in nodes.enumerated() {
            if i > 0 { out += "---\n" }
            out += emitter.emit(canonical(node))
        }
        return out
    }

    /// The node re-typed and re-ordered as the JSON round trip leaves it.
    static func canonical(_ node: YAMLNode) -> YAMLNode {
        switch node.content {
        case .mapping(let pairs):
            let converted = pairs.map { YAMLPair(key: YAMLNode(string: keyText($0.key)), value: canonical($0.value)) }
            return YAMLNode(mapping: converted.sorted { naturalLess($0.key.scalar ?? "", $1.key.scalar ?? "") },
                            style: converted.isEmpty ? .flow : .block)
        case .sequence(let items):
            return YAMLNode(sequence: items.map(canonical), style: items.isEmpty ? .flow : .block)
        case .scalar(let text):
            switch node.resolved() {
            case .null: return YAMLNode.null
            case .bool(let b): return YAMLNode(bool: b)
            case .int(let i): return YAMLNode(scalar: String(i))
            case .unsignedInt(let u): return YAMLNode(scalar: String(u))
            case .float(let d): return YAMLNode(scalar: yamlNumber(d))
            case .timestamp(let t): return YAMLNode(string: t.rfc3339)
            case .string: return YAMLNode(string: text)
            }
        }
    }

    /// JSON object keys are strings: a key's typed value as JSON text would name it.
    private static func keyText(_ key: YAMLNode) -> String {
        guard case .scalar(let text) = key.content else { return "" }
        switch key.resolved() {
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .int(let i): return String(i)
        default: return text
        }
    }

    /// Go's `encoding/json` float text: positional below 1e21, exponent (`1e+21`, `1e-7`) outside.
    static func jsonNumber(_ d: Double) -> String {
        let magnitude = abs(d)
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) {
            var text = YAMLFloatFormat.goYAML(d)
            // Go's JSON writes e-07 as e-7.
            if let e = text.range(of: "e-0") { text.replaceSubrange(e, with: "e-") }
            return text
        }
        return YAMLFloatFormat.goFixed(d)
    }

    /// What go-yaml v2 writes after reading the JSON number back: an integer when the text
    /// has no fraction or exponent and fits int64, otherwise `FormatFloat(f, 'g', -1, 64)`.
    static func yamlNumber(_ d: Double) -> String {
        let json = jsonNumber(d)
        if !json.contains(".") && !json.contains("e"), Int64(json) != nil { return json }
        if json == "-0" { return "0" }
        return YAMLFloatFormat.goYAML(d)
    }

    /// go-yaml v2's map key order (sorter.go keyList.Less): letters compare as runes, digit
    /// runs compare as numbers, non-letters sort before letters.
    static func naturalLess(_ a: String, _ b: String) -> Bool {
        let ar = Array(a.unicodeScalars), br = Array(b.unicodeScalars)
        var i = 0
        while i < ar.count && i < br.count {
            if ar[i] == br[i] { i += 1; continue }
            let al = ar[i].properties.isAlphabetic, bl = br[i].properties.isAlphabetic
            if al && bl { return ar[i].value < br[i].value }
            if al || bl { return bl }
            var an: Int64 = 0, bn: Int64 = 0
            if ar[i] == "0" || br[i] == "0" {
                var j = i - 1
                while j >= 0 && isDigit(ar[j]) {
                    if ar[j] != "0" { an = 1; bn = 1; break }
                    j -= 1
                }
            }
            var ai = i, bi = i
            while ai < ar.count && isDigit(ar[ai]) { an = an &* 10 &+ Int64(ar[ai].value - 48); ai += 1 }
            while bi < br.count && isDigit(br[bi]) { bn = bn &* 10 &+ Int64(br[bi].value - 48); bi += 1 }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar[i].value < br[i].value
        }
        return ar.count < br.count
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 48 && s.value <= 57 }
}
