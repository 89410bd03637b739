import Foundation
import Testing
@testable import GitOpsCore

/// Plain-scalar typing per profile, from the sops `y02-types` vector and go-yaml's resolve.go.
@Suite struct YAMLResolutionTests {
    static let goYAMLv3: [(String, YAMLScalarValue)] = [
        ("42", .int(42)), ("-17", .int(-17)), ("+5", .int(5)), ("0", .int(0)),
        ("0x1F", .int(31)), ("0o17", .int(15)), ("012", .int(10)), ("0b101", .int(5)),
        ("1_000_000", .int(1_000_000)), ("9223372036854775807", .int(.max)),
        ("18446744073709551615", .unsignedInt(.max)),
        ("09", .float(9)), ("3.14", .float(3.14)), ("1e3", .float(1000)), ("1.5e-7", .float(1.5e-7)),
        (".5", .float(0.5)), ("-0.0", .float(-0.0)), (".inf", .float(.infinity)), ("-.Inf", .float(-.infinity)),
        (".nan", .float(.nan)),
        ("true", .bool(true)), ("True", .bool(true)), ("FALSE", .bool(false)),
        ("yes", .string("yes")), ("on", .string("on")), ("y", .string("y")),
        ("~", .null), ("null", .null), ("", .null), ("NULL", .null),
        ("2024-01-02", .timestamp(YAMLTimestamp(year: 2024, month: 1, day: 2))),
        ("2024-13-02", .string("2024-13-02")),
        ("1:20", .string("1:20")), ("0x", .string("0x")), ("-", .string("-")), ("1.2.3", .string("1.2.3")),
    ]

    @Test(arguments: goYAMLv3)
    func goYAMLv3ResolvesLikeSops(text: String, expected: YAMLScalarValue) {
        #expect(YAMLScalarResolver.resolvePlain(text, profile: .goYAMLv3) == expected)
    }

    @Test(arguments: [("yes", true), ("On", true), ("n", false), ("OFF", false), ("true", true)])
    func yaml11AddsOldBooleans(text: String, expected: Bool) {
        #expect(YAMLScalarResolver.resolvePlain(text, profile: .yaml11) == .bool(expected))
    }

    @Test(arguments: [
        ("2024-01-02", "2024-01-02T00:00:00Z"),
        ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05Z"),
        ("2024-01-02T03:04:05+01:00", "2024-01-02T03:04:05+01:00"),
        ("2024-1-2t3:4:5.120Z", "2024-01-02T03:04:05.12Z"),
        ("2024-01-02 03:04:05.5", "2024-01-02T03:04:05.5Z"),
    ])
    func timestampsFormatAsGoMarshalText(text: String, rfc3339: String) throws {
        guard case let .timestamp(t) = YAMLScalarResolver.resolvePlain(text, profile: .goYAMLv3) else {
            Issue.record("\(text) is not a timestamp")
            return
        }
        #expect(t.rfc3339 == rfc3339)
    }

    @Test func quotedAndTaggedScalarsFollowTheirPresentation() throws {
        let root = try #require(try YAMLParser().parse("""
        a: "42"
        b: !!str 42
        c: !!int "7"
        d: |
          x
        e: !custom 5
        f: !!float 1
        """).documents.first?.root)
        #expect(root["a"]?.resolved() == .string("42"))
        #expect(root["b"]?.resolved() == .string("42"))
        #expect(root["c"]?.resolved() == .int(7))
        #expect(root["d"]?.resolved() == .string("x\n"))
        #expect(root["e"]?.resolved() == .string("5"))
        #expect(root["f"]?.resolved() == .float(1))
        #expect(root["b"]?.tag == "!!str")
    }

    /// go-yaml's 'g' float formatting (the y02 vector's decrypted output) and sops's 'f'.
    @Test(arguments: [
        (1.0, "1", "1"), (2.5, "2.5", "2.5"), (1000, "1000", "1000"), (1.5e-7, "1.5e-07", "0.00000015"),
        (1e21, "1e+21", "1000000000000000000000"), (-0.0, "-0", "-0"), (0.75, "0.75", "0.75"),
        (123456789, "1.23456789e+08", "123456789"), (Double.infinity, ".inf", "+Inf"), (0.0001, "0.0001", "0.0001"),
    ])
    func floatsFormatLikeGo(value: Double, yaml: String, fixed: String) {
        #expect(YAMLFloatFormat.goYAML(value) == yaml)
        #expect(YAMLFloatFormat.goFixed(value) == fixed)
    }
}
