import PGDumpCore
import PGDumpCodecs

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A folder of plain-script indexes, so that a second command on the same script reads its index and the byte
/// ranges it needs instead of the whole script.
///
/// A script has no table of contents: the first command on it reads it to the end (`PlainScriptIndexer`). For a
/// script read from a regular file, what that pass finds (header, entries, the byte ranges of every entry's data)
/// is written here, one file per script, keyed by the script's device, inode and real path. It is used again
/// only while the script's size, modification and change times (nanoseconds), device and inode are those
/// recorded, its first and last 64 KiB have the recorded CRC-32s, and the pgdumpkit binary that wrote it is the
/// one reading it. An index file is untrusted input: magic, format version, length and CRC-32 are checked, then
/// every field as a TOC's are, and every byte range against the script's size; any problem means it is ignored
/// and the script indexed again. Nothing is ever written next to the script, and a cache that cannot be written
/// (read-only, full, missing) only means the next command indexes again.
///
/// Pipes, standard input and compressed scripts are not cached: they are read once, forward, and a compressed
/// stream has no place to resume decoding from, so an index of it would save nothing.
public struct ScriptIndexCache: Sendable {
    /// The folder holding the index files (created when first written, mode 0700).
    public var directory: String
    /// Receives one line for each decision (index used, ignored and why, written, not written and why).
    public var log: (@Sendable (String) -> Void)?

    public init(directory: String, log: (@Sendable (String) -> Void)? = nil) {
        self.directory = directory
        self.log = log
    }

    /// The environment variable that turns the cache off (`PGDUMPKIT_NO_CACHE=1`).
    public static let disablingVariable = "PGDUMPKIT_NO_CACHE"

    /// `$XDG_CACHE_HOME/pgdumpkit/plain-index`, else `$HOME/.cache/pgdumpkit/plain-index` (the XDG base
    /// directory rules: a relative `XDG_CACHE_HOME` is ignored); `nil` when `PGDUMPKIT_NO_CACHE` is set to
    /// anything but an empty string or `0`, or when neither variable names an absolute folder.
    public static func fromEnvironment(log: (@Sendable (String) -> Void)? = nil) -> ScriptIndexCache? {
        func variable(_ name: String) -> String? {
            guard let value = getenv(name) else { return nil }
            let text = String(cString: value)
            return text.isEmpty ? nil : text
        }
        if let off = variable(disablingVariable), off != "0" { return nil }
        let base: String
        if let xdg = variable("XDG_CACHE_HOME"), xdg.hasPrefix("/") {
            base = xdg
        } else if let home = variable("HOME"), home.hasPrefix("/") {
            base = home + "/.cache"
        } else {
            return nil
        }
        return ScriptIndexCache(directory: base + "/pgdumpkit/plain-index", log: log)
    }

    private func note(_ message: @autoclosure () -> String) { log?(message()) }

    // MARK: - Reading

    /// The cached index of `script`, or `nil` (with a note saying why) when there is none or it does not fit.
    func load(for script: CachedScript, limits: ArchiveLimits) -> PlainScriptIndex? {
        let path = directory + "/" + script.indexFileName
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            note("no index of \(script.path) in \(directory) (\(SystemError.describe(errno)))")
            return nil
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            note("ignored \(path): not a regular file")
            return nil
        }
        // Only an index this user wrote: a cache folder others can write to must not feed us a TOC.
        guard info.st_uid == geteuid() else {
            note("ignored \(path): owned by another user")
            return nil
        }
        let size = Int64(info.st_size)
        guard size >= Int64(PlainIndexFile.prefixSize), size <= PlainIndexFile.maximumSize(forScriptOf: script.identity.size)
        else {
            note("ignored \(path): its size \(size) is impossible")
            return nil
        }
        var bytes = [UInt8](repeating: 0, count: Int(size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, $0.count - filled, off_t(filled)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                note("ignored \(path): could not read it")
                return nil
            }
            filled += count
        }
        do {
            let index = try PlainIndexFile.decode(bytes, for: script, limits: limits)
            note("used the index \(path) of \(script.path)")
            return index
        } catch let problem as PlainIndexFile.Problem {
            note("ignored \(path): \(problem.reason)")
        } catch let error as PGDumpError {
            note("ignored \(path): \(error.message)")
        } catch {
            note("ignored \(path): \(error)")
        }
        return nil
    }

    // MARK: - Writing

    /// Writes `index` as the index of `script`: to a temporary file in the cache folder, renamed into place.
    /// Never fails: a cache that cannot be written is noted and left alone.
    func store(_ index: PlainScriptIndex, for script: CachedScript, limits: ArchiveLimits) {
        guard let bytes = PlainIndexFile.encode(index, for: script, limits: limits) else {
            note("not cached: the index of \(script.path) does not read back identical (a truncated script, warnings or unusual bytes)")
            return
        }
        guard Self.makeDirectory(directory) else {
            note("not cached: could not create \(directory) (\(SystemError.describe(errno)))")
            return
        }
        let target = directory + "/" + script.indexFileName
        var template = Array((target + ".XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            note("not cached: could not create a file in \(directory) (\(SystemError.describe(errno)))")
            return
        }
        let temporary = String(nulTerminated: template)
        var written = 0
        var failure: Int32 = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            written += count
        }
        if close(descriptor) != 0 && failure == 0 { failure = errno }
        if failure == 0 && rename(temporary, target) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            note("not cached: could not write \(target) (\(SystemError.describe(failure)))")
            return
        }
        note("wrote the index \(target) of \(script.path)")
    }

    /// Creates `path` and its missing parents (mode 0700, as the XDG rules ask); whether it exists now, is a
    /// folder and is the user's own.
    private static func makeDirectory(_ path: String) -> Bool {
        var info = stat()
        if stat(path, &info) != 0 {
            var prefix = ""
            for component in path.split(separator: "/", omittingEmptySubsequences: true) {
                prefix += "/" + component
                if mkdir(prefix, 0o700) != 0 && errno != EEXIST { return false }
            }
            guard stat(path, &info) == 0 else { return false }
        }
        return (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == geteuid()
    }
}

/// A script that may have a cached index: its real path, its identity and content checks now, and the
/// identity of the running binary.
package struct CachedScript {
    /// The script's absolute path with symbolic links resolved.
    package var path: String
    package var identity: FileIdentity
    /// CRC-32s of the script's first and last 64 KiB (the same bytes when it is smaller).
    package var headCRC: UInt32
    package var tailCRC: UInt32
    /// The running executable (`/proc/self/exe`): an index written by another build of pgdumpkit, whose
    /// indexer may differ, is not used.
    package var executable: FileIdentity?

    static let checkedBytes = 64 << 10

    /// The script behind `source`, when it is a named regular file; `nil` otherwise.
    package init?(source: FileByteSource) throws {
        guard source.name != "-", let identity = source.identity(), let resolved = realpath(source.name, nil) else {
            return nil
        }
        path = String(cString: resolved)
        free(resolved)
        self.identity = identity
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.checkedBytes, alignment: 16)
        defer { buffer.deallocate() }
        func crc(at offset: Int64) throws -> UInt32 {
            var filled = 0
            while filled < buffer.count {
                let count = try source.read(
                    at: offset + Int64(filled), into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                if count == 0 { break }
                filled += count
            }
            return Checksum.crc32(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
        }
        headCRC = try crc(at: 0)
        tailCRC = try crc(at: max(0, identity.size - Int64(Self.checkedBytes)))
        #if os(Linux)
        executable = FileIdentity.of(path: "/proc/self/exe")
        #else
        executable = nil
        #endif
    }

    /// The index file's name: a hash of device, inode and path (the file itself records them in full).
    var indexFileName: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        func mix<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        mix(withUnsafeBytes(of: identity.device.littleEndian) { Array($0) })
        mix(withUnsafeBytes(of: identity.inode.littleEndian) { Array($0) })
        mix(path.utf8)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + ".idx"
    }
}
