import Foundation
import PGDumpTestSupport
import Testing

/// The shell completions `make install` installs complete archive paths and the values of -F, -Z, --section,
/// --archive-version and --format, for bash, zsh and fish.
@Suite struct CompletionTests {
    static func script(_ shell: String) throws -> String {
        let result = try CLITests.pgdumpkit(["--generate-completion-script", shell])
        #expect(result.status == 0)
        return String(decoding: result.standardOutput, as: UTF8.self)
    }

    @Test("option values are offered", arguments: ["bash", "zsh", "fish"])
    func values(_ shell: String) throws {
        let text = try Self.script(shell)
        for value in ["custom", "directory", "tar", "plain", "zstd", "lz4", "pre-data", "post-data", "1.14", "jsonl"] {
            #expect(text.contains(value), "\(shell): \(value) is not offered")
        }
    }

    @Test("archives and output files complete as paths")
    func paths() throws {
        // bash: the archive argument and -f/-o/-L/--filter complete with compgen -f; zsh: _files; fish: path
        // completion (-F).
        let bash = try Self.script("bash")
        #expect(bash.components(separatedBy: "compgen -f").count + bash.components(separatedBy: "__pgdumpkit_add_completions -f").count > 6)
        let zsh = try Self.script("zsh")
        #expect(zsh.components(separatedBy: "_files").count > 6)
        let fish = try Self.script("fish")
        #expect(fish.components(separatedBy: " -F").count > 6 || fish.components(separatedBy: "__fish_complete_path").count > 6)
    }
}
