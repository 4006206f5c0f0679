/// What pgdumpkit needs of the URLs it reads archives from: recognising them, naming them in messages without
/// secrets, and naming a directory archive's files.
public enum RemoteURL {
    /// Whether `input` is an `http://`, `https://` or `s3://` URL (any case) rather than a path.
    public static func isURL(_ input: String) -> Bool {
        let lowered = input.prefix(8).lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://") || lowered.hasPrefix("s3://")
    }

    /// Whether `input` is an `s3://bucket/key` URL.
    public static func isS3(_ input: String) -> Bool {
        input.prefix(5).lowercased() == "s3://"
    }

    /// `url` without user and password, query string or fragment: what messages may show (a presigned URL's
    /// query holds its signature).
    public static func redacted(_ url: String) -> String {
        var text = Substring(url)
        if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            text = text[..<cut]
        }
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else { return String(text) }
        let authorityStart = text.index(colon, offsetBy: 3)
        let authorityEnd = text[authorityStart...].firstIndex(of: "/") ?? text.endIndex
        if let at = text[authorityStart..<authorityEnd].lastIndex(of: "@") {
            return String(text[..<authorityStart]) + String(text[text.index(after: at)...])
        }
        return String(text)
    }

    /// The URL of `name` inside the directory at `directory` (with or without a trailing slash).
    public static func member(_ name: String, of directory: String) -> String {
        var base = Substring(directory)
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + "/" + name
    }
}
