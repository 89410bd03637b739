// swift-tools-version:6.0
// gitopsctl: one native CLI for Flux GitOps repositories (kustomize, SOPS/age, Capsule, cluster API).
// No Swift package dependencies: Foundation plus system C libraries (see README, "Dependencies").
import PackageDescription

/// libgit2, libcurl, libcrypto and Nettle are opened with dlopen by the code that needs them, not linked
/// (Sources/CGit2/shim.h): pkg-config would add -lgit2 / -lcurl / -lcrypto / -lnettle to every link. Debian's headers
/// need no flags; elsewhere (Homebrew) pkg-config still supplies the include path.
func openedOnDemand(_ pkgConfigName: String) -> String? {
    #if os(Linux)
    return nil
    #else
    return pkgConfigName
    #endif
}

let package = Package(
    name: "gitopsctl",
    // Synchronization's Atomic (the interrupt clean-up's signal handler) needs macOS 15.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gitopsctl", targets: ["gitopsctl"]),
        .library(name: "GitOpsCore", targets: ["GitOpsCore"]),
    ],
    targets: [
        // System C libraries from Debian -dev packages (module.modulemap + shim.h each).
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
        .systemLibrary(name: "CSodium", path: "Sources/CSodium", pkgConfig: "libsodium",
                       providers: [.apt(["libsodium-dev"]), .brew(["libsodium"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: openedOnDemand("libcrypto"),
                       providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .systemLibrary(name: "CNettle", path: "Sources/CNettle", pkgConfig: openedOnDemand("nettle"),
                       providers: [.apt(["nettle-dev"]), .brew(["nettle"])]),
        .systemLibrary(name: "CGit2", path: "Sources/CGit2", pkgConfig: openedOnDemand("libgit2"),
                       providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: openedOnDemand("libcurl"),
                       providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),

        .target(name: "GitOpsCore",
                dependencies: ["CYAML", "CSodium", "CCrypto", "CNettle", "CGit2", "CCurl", "CZlib"]),
        .executableTarget(name: "gitopsctl", dependencies: ["GitOpsCore"]),

        // Shared by the test targets: paths to the repo, ../shared and the built binary, process runner.
        .target(name: "TestSupport", path: "Tests/Support/Swift"),
        .testTarget(name: "GitOpsCoreTests", dependencies: ["GitOpsCore", "TestSupport"]),
        .testTarget(name: "gitopsctlTests", dependencies: ["gitopsctl", "GitOpsCore", "TestSupport"]),
    ]
)
