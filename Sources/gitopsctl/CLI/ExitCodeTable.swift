/// The exit statuses gitopsctl documents. The secrets commands reuse sops's codes for the same
/// failures (getsops/sops cmd/sops/codes/codes.go) so scripts written for sops keep working.
enum ExitCodeTable {
    struct Entry: Sendable {
        var code: Int32
        var meaning: String
    }

    static let general: [Entry] = [
        Entry(code: 0, meaning: "success"),
        Entry(code: 1, meaning: "the operation failed"),
        Entry(code: 2, meaning: "usage error: unknown command or flag, missing or invalid argument"),
    ]

    /// Codes of `encrypt`, `decrypt`, `edit`, `updatekeys` and `rotate`, as sops uses them.
    static let secrets: [Entry] = [
        Entry(code: 2, meaning: "the input file could not be read"),
        Entry(code: 4, meaning: "the output could not be written"),
        Entry(code: 8, meaning: "conflicting parameters"),
        Entry(code: 23, meaning: "a value could not be encrypted"),
        Entry(code: 25, meaning: "a value could not be decrypted (tampered ciphertext or AAD)"),
        Entry(code: 51, meaning: "MAC mismatch, or the MAC could not be decrypted"),
        Entry(code: 61, meaning: "no .sops.yaml found (or no creation rules) and no keys given"),
        Entry(code: 91, meaning: "invalid --extract path"),
        Entry(code: 128, meaning: "the data key could not be retrieved: no identity matched a recipient"),
    ]

    /// The secrets table as help text.
    static let secretsHelp: String = {
        "Exit status (as sops):\n" + (general.prefix(1) + secrets).map {
            "  " + String($0.code).padding(to: 3) + "  " + $0.meaning
        }.joined(separator: "\n")
    }()
}
