// Options the sops-compatible commands share, spelled as sops spells them.

extension Option {
    static let inPlace = Option.flag("in-place", short: "i", "Write the result back to the file (atomically)")
    static let outputFile = Option.value("output", .file, "Write the result to this file instead of stdout")
    static let ignoreMAC = Option.flag("ignore-mac", "Do not verify the MAC (only to rescue a damaged file)")
    static let sopsConfig = Option.value("config", .file,
                                         "Use this .sops.yaml instead of the nearest one above the current directory")
    static let fileFormats = ["yaml", "json", "dotenv", "binary"]
    static let inputType = Option.value("input-type", .choice(fileFormats),
                                        "Read the file as this format (default: from the extension)")
    static let outputType = Option.value("output-type", .choice(fileFormats),
                                         "Write this format (default: the input format)")
    static let recursive = Option.value("recursive", short: "r", .directory,
                                        "Act on every encrypted file below this directory")
}

extension Positional {
    static let secretFile = Positional(name: "FILE", kind: .file, abstract: "The file to act on")
    static let secretFiles = Positional(name: "FILE", kind: .file, abstract: "The encrypted files (or -r DIR)",
                                        optional: true, variadic: true)
}
