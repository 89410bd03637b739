import Testing
@testable import GitOpsCore

/// The postBuild grammar of fluxcd/pkg envsubst (flux-behaviors.md §9.3).
@Suite struct EnvsubstTests {
    static let variables = ["name": "podinfo", "empty": "", "greeting": "Hello World", "path": "/a/b/c.tar.gz",
                            "replicas": "3", "ünï": "u"]

    @Test(arguments: [
        ("${name}", "podinfo"),
        ("app-${name}-x", "app-podinfo-x"),
        ("${missing}", ""),
        ("$${name}", "${name}"),
        ("pa$$word", "pa$word"),
        ("$$$$", "$$"),
        ("$name and a $ b and x$", "$name and a $ b and x$"),
        ("back\\slash ${name}", "back\\slash podinfo"),
        ("${missing:=def}", "def"),
        ("${missing:-def}", "def"),
        ("${missing=def}", "def"),
        ("${empty=def}", "def"),
        ("${missing:+def}", "def"),
        ("${missing:?def}", "def"),
        ("${name:=def}", "podinfo"),
        ("${missing:=${name}-x}", "podinfo-x"),
        ("${missing:=a}b}", "ab}"),
        ("${#name}", "7"),
        ("${#ünï}", "1"),
        ("${greeting:6}", "World"),
        ("${greeting:0:5}", "Hello"),
        ("${greeting:x}", "Hello World"),
        ("${name^}", "Podinfo"),
        ("${name^^}", "PODINFO"),
        ("${greeting,}", "hello World"),
        ("${greeting,,}", "hello world"),
        ("${greeting/o/0}", "Hell0 World"),
        ("${greeting//o/0}", "Hell0 W0rld"),
        ("${greeting/o/}", "Hell World"),
        ("${greeting/#Hello/Bye}", "Bye World"),
        ("${greeting/%World/All}", "Hello All"),
        ("${path/\\/a/x}", "x/b/c.tar.gz"),
        ("${path#*/}", "a/b/c.tar.gz"),
        ("${path##*/}", "c.tar.gz"),
        ("${path%.*}", "/a/b/c.tar"),
        ("${path%%.*}", "/a/b/c"),
        ("replicas: ${replicas}", "replicas: 3"),
    ])
    func expands(input: String, expected: String) throws {
        #expect(try Envsubst(variables: Self.variables).expand(input) == expected)
    }

    @Test(arguments: [
        ("${a.b}", Envsubst.Failure.missingClosingBrace),
        ("${x.getMonth() + 1}", .missingClosingBrace),
        ("${unclosed", .missingClosingBrace),
        ("${}", .unableToParseName),
        ("${ v }", .unableToParseName),
        ("${v-def}", .badSubstitution),
        ("${v+x}", .badSubstitution),
        ("${v/c}", .unableToParseFunction),
    ])
    func rejects(input: String, failure: Envsubst.Failure) {
        #expect(throws: failure) { try Envsubst(variables: ["v": "abc"]).expand(input) }
    }

    @Test func strictModeRefusesUndefinedWithoutDefault() throws {
        let strict = Envsubst(variables: ["empty": ""], strict: true)
        #expect(throws: Envsubst.Failure.unset("x")) { try strict.expand("${x}") }
        #expect(throws: Envsubst.Failure.unset("x")) { try strict.expand("${#x}") }
        #expect(throws: Envsubst.Failure.unset("x")) { try strict.expand("${x^^}") }
        #expect(try strict.expand("${x:=d}") == "d")
        #expect(try strict.expand("${empty}") == "")
    }

    @Test func substitutionRetypesValuesAndHonoursTheOptOut() throws {
        let node = try YAMLStream(yaml: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  replicas: ${replicas}\n")
            .documents[0].root!
        let step = PostBuildSubstitution(variables: ["replicas": "3"], strategy: .withVariables, strict: false)
        #expect(try step.apply(to: node, object: "ks")["spec"]?["replicas"]?.int == 3)

        var disabled = node
        disabled.set("metadata", ["name": "a", "annotations": ["kustomize.toolkit.fluxcd.io/substitute": "Disabled"]])
        #expect(try step.apply(to: disabled, object: "ks")["spec"]?["replicas"]?.scalar == "${replicas}")
    }

    @Test func withVariablesStrategySkipsAnEmptySet() throws {
        let node = try YAMLStream(yaml: "kind: ConfigMap\ndata:\n  a: ${x:=d}\n  b: $$x\n").documents[0].root!
        let none = PostBuildSubstitution(variables: [:], strategy: .withVariables, strict: false)
        #expect(try none.apply(to: node, object: "ks")["data"]?["a"]?.scalar == "${x:=d}")
        let always = PostBuildSubstitution(variables: [:], strategy: .always, strict: false)
        let result = try always.apply(to: node, object: "ks")
        #expect(result["data"]?["a"]?.scalar == "d")
        #expect(result["data"]?["b"]?.scalar == "$x")
    }

    @Test func variableNamesAreChecked() throws {
        #expect(throws: FluxError.invalidVariableName(object: "ks", name: "1abc")) {
            try PostBuildSubstitution.checked([("1abc", "v")], object: "ks")
        }
        #expect(try PostBuildSubstitution.checked([("_ok1", "a\nb")], object: "ks") == ["_ok1": "ab"])
    }

    /// The scalar-level fast path must give what expanding the YAML text gives (the controller's way).
    @Test(arguments: [
        "spec:\n  replicas: ${n}\n",
        "data:\n  flag: ${yes}\n  quoted: \"${yes}\"\n",
        "data:\n  pair: ${pair}\n",
        "data:\n  list: ${list}\n",
        "data:\n  q: '${quote}'\n",
        "data:\n  script: |\n    echo ${n} $$HOME\n",
        "data:\n  empty: ${nothing}\n",
        "data:\n  ${n}: key\n",
        "data:\n  # a comment with ${n} and ${} and $${x}\n  a: ${n}\n",
        "data:\n  url: https://${host}:${n}/x\n",
    ])
    func scalarPathMatchesTextPath(yaml: String) throws {
        let node = try #require(try YAMLStream(yaml: "kind: ConfigMap\n" + yaml).documents.first?.root)
        let step = PostBuildSubstitution(variables: ["n": "3", "yes": "true", "pair": "a: b", "list": "[1, 2]",
                                                     "quote": "it's", "host": "example.org"],
                                         strategy: .withVariables, strict: false)
        // Values with YAML syntax break the document either way: both must fail then.
        let fast = Result { () throws(FluxError) in try step.apply(to: node, object: "ks") }
        let text = Result { () throws(FluxError) in try step.applyToText(node, object: "ks") }
        switch (fast, text) {
        case let (.success(a), .success(b)): #expect(a == b)
        case (.failure, .failure): break
        default: Issue.record("fast path \(fast) differs from text path \(text)")
        }
    }
}
