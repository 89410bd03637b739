/// An error a user can act on. Every domain's error enum conforms; the executable turns any of
/// them into one `✗ <description>` line (plus the hint, when there is one) and `exitCode`.
///
/// `description` says what failed and why, naming the file and `line:col` or the object
/// (`Kustomization/flux-system/apps`). It never contains secret material.
public protocol UserFacingError: Error, CustomStringConvertible {
    /// The process exit code for this failure: 1 by default; the secrets commands use
    /// sops's codes (see `SopsExitCode`) so scripts written for sops keep working.
    var exitCode: Int32 { get }
    /// What to do about it, when there is something useful to say.
    var hint: String? { get }
}

extension UserFacingError {
    public var exitCode: Int32 { 1 }
    public var hint: String? { nil }
}
