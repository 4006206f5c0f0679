extension String {
    /// The text of a NUL-terminated C string held in an array (a `mkstemp` template, a `realpath` buffer).
    package init(nulTerminated characters: [CChar]) {
        let bytes = characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        self.init(decoding: bytes, as: UTF8.self)
    }
}
