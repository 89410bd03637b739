import Foundation
import Testing
import TestSupport
@testable import GitOpsCore

/// A small deterministic generator (SplitMix64) so failures reproduce from the seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Emit → parse gives the same data and emit → parse → emit is a fixed point, over generated
/// strings (the characters and words that change YAML's reading) and trees.
@Suite struct YAMLPropertyTests {
    static let fragments = [
        ":", ": ", "#", " #", "- ", "-", "?", "? ", "[", "]", "{", "}", ",", "&a", "*a", "!", "|", ">", "'", "\"",
        "%", "@", "`", " ", "  ", "\t", "\n", "\r", "\r\n", "yes", "no", "on", "off", "y", "0x1F", "012", "09",
        "1e3", "1_000", "~", "null", "true", "False", ".inf", ".nan", "2024-01-02", "1:20", "---", "...", "é", "日本",
        "✓", "😀", "\u{85}", "\u{2028}", "\u{FEFF}", "\u{07}", "\\", "word", "key", "value", "a", "b", "0", "-1", ".5",
    ]

    static func string(_ rng: inout SeededGenerator) -> String {
        if Int.random(in: 0..<20, using: &rng) == 0 {
            // A very long line of words, to exercise go-yaml's folding at 80 columns.
            return (0..<Int.random(in: 20...60, using: &rng)).map { _ in fragments.randomElement(using: &rng) ?? "" }
                .filter { !$0.contains("\n") && !$0.contains("\r") }.joined(separator: " ")
        }
        return (0..<Int.random(in: 0...4, using: &rng)).map { _ in fragments.randomElement(using: &rng) ?? "" }.joined()
    }

    static func scalar(_ rng: inout SeededGenerator) -> YAMLNode {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return YAMLNode(int: Int.random(in: -1_000_000...1_000_000, using: &rng))
        case 1: return YAMLNode(bool: Bool.random(using: &rng))
        case 2: return YAMLNode(double: [0.5, -2.25, 1e21, 1.5e-7, 3.0, .infinity, 1234.5678].randomElement(using: &rng) ?? 0)
        case 3: return .null
        default: return YAMLNode(string: string(&rng))
        }
    }

    static func tree(_ rng: inout SeededGenerator, depth: Int) -> YAMLNode {
        guard depth > 0 else { return scalar(&rng) }
        switch Int.random(in: 0..<3, using: &rng) {
        case 0:
            return YAMLNode(sequence: (0..<Int.random(in: 0...4, using: &rng)).map { _ in tree(&rng, depth: depth - 1) })
        case 1:
            var pairs: [YAMLPair] = []
            var seen = Set<String>()
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let key = string(&rng)
                guard seen.insert(key).inserted else { continue }
                pairs.append(YAMLPair(key, tree(&rng, depth: depth - 1)))
            }
            return YAMLNode(mapping: pairs)
        default:
            return scalar(&rng)
        }
    }

    static let emitters: [(String, YAMLEmitter)] = [
        ("manifest", .manifest), ("sops", .sops), ("indent3", YAMLEmitter(indent: 3, sequenceIndent: .indented, lineWidth: 40)),
    ]

    @Test(arguments: 0..<4)
    func generatedStringsSurviveEmitAndParse(batch: Int) throws {
        var rng = SeededGenerator(seed: 0x5EED_0000 + UInt64(batch))
        for _ in 0..<250 {
            let text = Self.string(&rng)
            guard text != "k" else { continue }
            let node: YAMLNode = ["k": YAMLNode(string: text), YAMLNode(string: text).scalar ?? "": 1]
            for (label, emitter) in Self.emitters {
                let once = emitter.emit(node)
                let back = try YAMLParser().parse(once).documents.first?.root
                #expect(back?["k"]?.string == text, "\(label): \(text.debugDescription) → \(once.debugDescription)")
                #expect(back?.keys.last == text, "\(label) key: \(text.debugDescription) → \(once.debugDescription)")
                if let back { #expect(emitter.emit(back) == once, "\(label) fixed point: \(once.debugDescription)") }
            }
        }
    }

    @Test(arguments: 0..<4)
    func generatedTreesSurviveEmitAndParse(batch: Int) throws {
        var rng = SeededGenerator(seed: 0x7EE5_0000 + UInt64(batch))
        for _ in 0..<100 {
            let node = Self.tree(&rng, depth: 4)
            for (label, emitter) in Self.emitters {
                let once = emitter.emit(node)
                let parsed: YAMLStream
                do {
                    parsed = try YAMLParser().parse(once)
                } catch {
                    Issue.record("\(label): \(error)\n\(once)")
                    continue
                }
                let back = parsed.documents.first?.root ?? .null
                #expect(back == node, "\(label): data changed\n\(once)")
                #expect(emitter.emit(back) == once, "\(label): not a fixed point\n\(once)")
            }
        }
    }

    @Test(arguments: 0..<2)
    func generatedTreesSurviveJSON(batch: Int) throws {
        var rng = SeededGenerator(seed: 0x1503_0000 + UInt64(batch))
        for _ in 0..<100 {
            let node = Self.tree(&rng, depth: 4)
            for layout in [JSONEmitter.Layout.compact, .pretty(indent: "\t")] {
                guard let text = try? JSONEmitter(layout: layout).emit(node) else { continue }  // .inf has no JSON form
                let back = try JSONParser().parse(text).documents.first?.root
                #expect(back == node, "\(text)")
            }
        }
    }

    /// PyYAML (the C loader, YAML 1.1) reads every generated string back as the same string from
    /// every emitter: what YAML 1.1 alone types (`yes`, `on`, base-60 `1:20`) is quoted too, as
    /// go-yaml quotes it. (A lone `=` or `<<` value is left out: kubectl and kustomize write them
    /// plain, and PyYAML's safe loaders cannot construct the YAML 1.1 `!!value` and `!!merge`
    /// tags they resolve to outside a key.)
    @Test func pyYAMLReadsGeneratedStringsBack() throws {
        var rng = SeededGenerator(seed: 0xB1AC_0000)
        let strings = (0..<400).map { _ in Self.string(&rng) } + ["1:20", "190:20:30.15", "Yes", "OFF", "y", "2001-12-14t21:59:43.10-05:00", "0b1010", "+.INF"]
        let node = YAMLNode(mapping: strings.enumerated().map { YAMLPair(key: YAMLNode(string: "s\($0.offset)"), value: YAMLNode(string: $0.element)) })
        let expected = try JSONEmitter.compact.emit(YAMLNode(sequence: strings.map { YAMLNode(string: $0) }))
        let dir = try TemporaryDirectory()
        let json = try dir.write("expected.json", expected)
        for (label, emitter) in Self.emitters {
            let yaml = try dir.write("\(label).yaml", emitter.emit(node))
            let result = try ProcessRunner.run(tool: "python3", ["-c", """
                import json, sys, yaml
                data = yaml.load(open(sys.argv[1], "rb"), Loader=yaml.CSafeLoader)
                expected = json.load(open(sys.argv[2]))
                got = [data["s%d" % i] for i in range(len(expected))]
                bad = [(e, g) for e, g in zip(expected, got) if e != g]
                print("EQUAL" if not bad else "DIFFERENT %d: %r" % (len(bad), bad[:5]))
                """, yaml.path, json.path])
            #expect(result.stdoutText == "EQUAL\n", "\(label): \(result.stdoutText)\(result.stderrText)")
        }
    }
}
