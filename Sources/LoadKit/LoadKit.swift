/// The load engine namespace.
public enum LoadKit {
    /// Library version.
    public static let version = "0.1.0"
}
