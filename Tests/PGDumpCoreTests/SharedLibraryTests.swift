import PGDumpCore
import Testing

/// Libraries opened at first use: the first name the loader finds wins, and a library that cannot be loaded is an
/// error that says what it was needed for and which package installs it.
@Suite struct SharedLibraryTests {
    @Test("the first name found is opened")
    func opensFirstFound() throws {
        let library = try SharedLibrary.open(
            ["libpgdumpkit-absent.so.1", "libz.so.1", "libz.1.dylib"], purpose: "to test", package: "zlib1g")
        #expect(library.name == "libz.so.1" || library.name == "libz.1.dylib")
    }

    @Test("a library that cannot be loaded says why it was wanted and how to install it")
    func missingLibrary() {
        let error = #expect(throws: PGDumpError.self) {
            _ = try SharedLibrary.open(["libpgdumpkit-absent.so.1"], purpose: "to read this", package: "libabsent1")
        }
        #expect(error?.kind == .io)
        #expect(error?.message.hasPrefix("libpgdumpkit-absent.so.1 is needed to read this and could not be loaded: ") == true)
        #expect(error?.hint == "install it (Debian: apt-get install libabsent1)")
    }
}
