import Foundation
import PGDumpTestSupport
import Testing

/// `make install` and `make uninstall`: the binary, the manual pages from man/ and the completions the binary
/// generates, in the conventional places under PREFIX (below DESTDIR when given). The tests install the debug
/// binary they already run (`BINARY=`), so they build nothing.
@Suite struct InstallTests {
    /// The files `make install` puts under PREFIX, relative to it.
    static var installedFiles: [String] {
        let pages = (try? FileManager.default.contentsOfDirectory(
            atPath: Fixtures.repositoryRoot.appendingPathComponent("man").path)) ?? []
        return ["bin/pgdumpkit",
                "share/bash-completion/completions/pgdumpkit",
                "share/zsh/site-functions/_pgdumpkit",
                "share/fish/vendor_completions.d/pgdumpkit.fish"]
            + pages.filter { $0.hasSuffix(".1") }.sorted().map { "share/man/man1/\($0)" }
    }

    static func make(_ arguments: [String]) throws -> CommandResult {
        // Settings of a make that runs the tests (make test) are not this make's.
        try CommandRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["make", "--no-print-directory", "-C", Fixtures.repositoryRoot.path] + arguments,
            environment: ["MAKEFLAGS": "", "MFLAGS": "", "MAKELEVEL": ""])
    }

    /// Regular files (and links) below `directory`, relative to it.
    static func files(under directory: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var found: [String] = []
        for case let relative as String in walker {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent(relative).path,
                                              isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append(relative)
            }
        }
        return found.sorted()
    }

    /// Installs into `root` with `variables`, checks what is there under `prefix`, uninstalls, and checks that
    /// no file is left.
    func installThenUninstall(root: URL, prefix: URL, variables: [String]) throws {
        let binary = CommandRunner.pgdumpkit
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build pgdumpkit first: \(binary.path)")
        let install = try Self.make(["install", "BINARY=\(binary.path)"] + variables)
        try #require(install.status == 0, "\(install.standardError)")

        let expected = Self.installedFiles
        #expect(expected.count > 5, "man/ has pages")
        let base = prefix.path == root.path ? "" : String(prefix.path.dropFirst(root.path.count + 1)) + "/"
        #expect(Self.files(under: root) == expected.map { base + $0 }.sorted())

        let installed = prefix.appendingPathComponent("bin/pgdumpkit")
        #expect(FileManager.default.isExecutableFile(atPath: installed.path))
        let help = try CommandRunner.run(installed, ["--help"])
        #expect(help.status == 0, "\(help.standardError)")
        #expect(String(decoding: help.standardOutput, as: UTF8.self).contains("USAGE: pgdumpkit"))

        func text(_ relative: String) throws -> String {
            try String(contentsOf: prefix.appendingPathComponent(relative), encoding: .utf8)
        }
        #expect(try text("share/bash-completion/completions/pgdumpkit").contains("complete -o filenames -F"))
        #expect(try text("share/zsh/site-functions/_pgdumpkit").hasPrefix("#compdef pgdumpkit"))
        #expect(try text("share/fish/vendor_completions.d/pgdumpkit.fish").contains("complete -c 'pgdumpkit'"))
        let repositoryPage = try String(
            contentsOf: Fixtures.repositoryRoot.appendingPathComponent("man/pgdumpkit.1"), encoding: .utf8)
        #expect(try text("share/man/man1/pgdumpkit.1") == repositoryPage)

        let uninstall = try Self.make(["uninstall"] + variables)
        try #require(uninstall.status == 0, "\(uninstall.standardError)")
        #expect(Self.files(under: root) == [])
    }

    @Test("make install PREFIX= installs the binary, manual pages and completions; make uninstall removes them")
    func prefix() throws {
        let root = try ExtractCLITests.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try installThenUninstall(root: root, prefix: root, variables: ["PREFIX=\(root.path)", "DESTDIR="])
    }

    @Test("DESTDIR stages the installation below it, in PREFIX's layout")
    func destdir() throws {
        let root = try ExtractCLITests.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try installThenUninstall(
            root: root, prefix: root.appendingPathComponent("opt/pgdumpkit"),
            variables: ["DESTDIR=\(root.path)", "PREFIX=/opt/pgdumpkit"])
    }
}
