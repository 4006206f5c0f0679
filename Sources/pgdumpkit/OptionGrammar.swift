import ArgumentParser

/// pg_restore's option grammar (getopt_long's), on top of ArgumentParser's: a short option's value may be attached
/// (`-Fc`, `-tactor`, `-Zzstd`, `-j4`), also after clustered flags (`-xtactor`), and a value is taken whatever it
/// starts with (`-t -odd`, `-j -1`, `--for-pg-restore -1`). ArgumentParser reads neither, so `main()` rewrites the
/// arguments before parsing: every value so given becomes `--long=value`, which ArgumentParser reads unambiguously.
/// `--` ends the options; `-` (standard input) is left alone; `-?` becomes `--help`, and `-V`/`--version` anywhere
/// among the options asks for the version.
///
/// Which options take a value is declared next to each command and option group (`OptionNames`); a test compares
/// those declarations with the options ArgumentParser reports for each command (`--experimental-dump-help`), so
/// they cannot drift apart. Only the named subcommand's declarations are built, and a few dozen names are scanned
/// per argument, where asking ArgumentParser would reflect over every command: no measurable start-up cost.
enum OptionGrammar {
    /// The arguments rewritten, and what `main()` needs to know about them.
    struct Rewritten {
        var arguments: [String]
        /// The subcommand named, if it is one of pgdumpkit's.
        var subcommand: String?
        /// Whether `-V` or `--version` was given as an option.
        var wantsVersion = false
    }

    /// The declarations of the root's subcommand named `name`; only that one's are built.
    static func optionNames(ofSubcommand name: String) -> OptionNames? {
        for command in PGDumpKitCommand.configuration.subcommands where command.configuration.commandName == name {
            return (command as? any DeclaresOptionNames.Type)?.optionNames
        }
        return nil
    }

    static func rewrite(_ arguments: [String]) -> Rewritten {
        var result = Rewritten(arguments: [])
        result.arguments.reserveCapacity(arguments.count)
        var index = 0
        var names: OptionNames?
        // The root's own options, then the subcommand's name.
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "-V" || argument == "--version" {
                result.wantsVersion = true
            } else if argument == "-?" {
                result.arguments.append("--help")
                index += 1
                continue
            }
            result.arguments.append(argument)
            index += 1
            if !argument.hasPrefix("-") || argument == "-" || argument == "--" {
                names = optionNames(ofSubcommand: argument)
                result.subcommand = names == nil ? nil : argument
                break
            }
        }
        guard let names else {
            result.arguments.append(contentsOf: arguments[index...])
            return result
        }
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            let utf8 = argument.utf8
            guard utf8.count >= 2, utf8.first == UInt8(ascii: "-") else {
                result.arguments.append(argument)  // an operand, or - for standard input
                continue
            }
            if argument == "--" {
                result.arguments.append(argument)
                result.arguments.append(contentsOf: arguments[index...])
                break
            }
            if argument.hasPrefix("--") {
                // --name=value and flags pass through; --name value takes the next argument whatever it is.
                if argument == "--version" { result.wantsVersion = true }
                let long = argument.dropFirst(2)
                if !long.contains("="), names.takesValue(long: long), index < arguments.count {
                    result.arguments.append(argument + "=" + arguments[index])
                    index += 1
                } else {
                    result.arguments.append(argument)
                }
                continue
            }
            if argument == "-?" {
                result.arguments.append("--help")
                continue
            }
            // A cluster of short options: flags, then perhaps one option whose value is the rest or the next
            // argument, as getopt reads it.
            var flags = ""
            var rewritten = false
            var characters = argument.dropFirst()
            while let character = characters.popFirst() {
                if let long = names.longName(ofShort: character) {
                    if !flags.isEmpty { result.arguments.append("-" + flags) }
                    if !characters.isEmpty {
                        result.arguments.append("--" + long + "=" + String(characters))
                    } else if index < arguments.count {
                        result.arguments.append("--" + long + "=" + arguments[index])
                        index += 1
                    } else {
                        result.arguments.append("-" + String(character))  // ArgumentParser reports the missing value
                    }
                    rewritten = true
                    break
                }
                if character == "V" { result.wantsVersion = true }
                flags.append(character)
            }
            if !rewritten { result.arguments.append(argument) }
        }
        return result
    }
}

/// A command that declares its options that take a value, for `OptionGrammar`.
protocol DeclaresOptionNames {
    static var optionNames: OptionNames { get }
}

/// The names of a command's options that take a value: the short ones with the long name each stands for (every
/// one has a long name), and the long ones. Options without a value (flags) need no declaration. A few dozen
/// names, scanned in order: cheaper at start-up than hashing them into sets.
struct OptionNames {
    var shortWithValue: [(short: Character, long: String)]
    var longWithValue: [String]

    init(short: KeyValuePairs<Character, String> = [:], long: [String] = []) {
        shortWithValue = short.map { ($0.key, $0.value) }
        longWithValue = long + short.map(\.value)
    }

    func longName(ofShort character: Character) -> String? {
        shortWithValue.first { $0.short == character }?.long
    }

    func takesValue(long name: Substring) -> Bool { longWithValue.contains { $0 == name } }

    static func + (lhs: OptionNames, rhs: OptionNames) -> OptionNames {
        var sum = lhs
        sum.shortWithValue += rhs.shortWithValue
        sum.longWithValue += rhs.longWithValue
        return sum
    }
}

/// `-V`/`--version`, which every command shows in its help (a flag in each, as an option group would cost start-up
/// time). `main()` answers it before parsing (`OptionGrammar`), so the flag itself is never read.
enum VersionOption {
    static let names: NameSpecification = [.customShort("V"), .customLong("version")]
    static let help = ArgumentHelp(
        "Show pgdumpkit's version, the archive versions it reads and writes and the PostgreSQL versions it is checked against.")
}
