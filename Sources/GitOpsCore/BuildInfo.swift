/// Facts about this build of gitopsctl that `version` reports.
public enum BuildInfo {
    /// The release version, in semver form.
    public static let version = "0.1.0"
    /// The SOPS file-format version files we write claim (the `sops.version` metadata field).
    public static let sopsFormatVersion = "3.11.0"
}
