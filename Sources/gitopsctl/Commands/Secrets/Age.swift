extension Command {
    static let age = Command(
        name: "age",
        abstract: "Encrypt and decrypt files with age (byte-compatible with the age CLI)",
        subcommands: [.ageEncrypt, .ageDecrypt])
}

extension Option {
    static let ageIdentity = Option.value("identity", short: "i", .file, "An identity file: age-keygen format or an OpenSSH ed25519 key",
                                          repeatable: true)
    static let ageOutput = Option.value("output", short: "o", .file, "Write the result to this file (default: stdout)")
}

extension Positional {
    static let ageInput = Positional(name: "INPUT", kind: .file, abstract: "The file to read (default: stdin)",
                                     optional: true)
}
