import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// A small JSON writer that keeps keys in the order they are written. Archive text is written from its bytes;
/// invalid UTF-8 is replaced with U+FFFD.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]
    private let indentUnit: Int

    init(pretty: Bool = true) { indentUnit = pretty ? 2 : 0 }

    private mutating func newline() {
        guard indentUnit > 0 else { return }
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(0x20, count: (needsComma.count - 1) * indentUnit))
    }

    private mutating func beforeValue() {
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
        newline()
    }

    private mutating func writeKey(_ key: String) {
        beforeValue()
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        if indentUnit > 0 { bytes.append(0x20) }
    }

    mutating func beginObject(_ key: String? = nil) {
        if let key { writeKey(key) } else if needsComma.count > 1 { beforeValue() }
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    mutating func endObject() {
        let hadMembers = needsComma.removeLast()
        if hadMembers { newline() }
        bytes.append(UInt8(ascii: "}"))
    }

    mutating func beginArray(_ key: String? = nil) {
        if let key { writeKey(key) } else if needsComma.count > 1 { beforeValue() }
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    mutating func endArray() { endObject(); bytes[bytes.count - 1] = UInt8(ascii: "]") }

    mutating func field(_ key: String, _ value: String?) {
        writeKey(key)
        if let value { writeString(value) } else { writeNull() }
    }

    mutating func field(_ key: String, _ value: ArchiveText?) {
        writeKey(key)
        if let value { writeString(value.string) } else { writeNull() }
    }

    mutating func field<T: BinaryInteger>(_ key: String, _ value: T?) {
        writeKey(key)
        if let value { bytes.append(contentsOf: String(value).utf8) } else { writeNull() }
    }

    mutating func field(_ key: String, _ value: Bool) {
        writeKey(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// An array element.
    mutating func element<T: BinaryInteger>(_ value: T) {
        beforeValue()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func element(_ value: String) {
        beforeValue()
        writeString(value)
    }

    private mutating func writeNull() { bytes.append(contentsOf: "null".utf8) }

    private mutating func writeString(_ value: String) {
        JSONText.appendString(value, to: &bytes, shortControlEscapes: false)
    }

    /// The document, ending with a newline.
    func finished() -> [UInt8] { bytes + [0x0A] }

    /// What was written since the last call, for a document written out as it grows.
    mutating func takeBytes() -> [UInt8] {
        defer { bytes.removeAll(keepingCapacity: true) }
        return bytes
    }
}
