import ArgumentParser

/// A parser for the common commands' arguments that needs no reflection, tried before ArgumentParser's.
///
/// ArgumentParser builds each command's argument set by reflecting over default instances (`Mirror`, protocol
/// conformance lookups, demangling the property wrappers' types), several times per run: about a third of
/// `list`'s start-up. Here each command and option group declares its arguments in a table (`FastParsable`), and
/// a generic parser fills a default-initialised value by assigning every property, defaults included (a wrapper
/// in its definition state cannot be read until assigned).
///
/// The fast path handles only well-formed command lines it fully understands, after `OptionGrammar`'s rewriting:
/// known names, values as `--long=value`, clusters of short flags, one operand, `--`. Anything else (help,
/// completion scripts, unknown or repeated options, a missing or unparsable value, a validation failure) returns
/// `nil`, and `main()` hands the same arguments to ArgumentParser, so that every message and exit status stays
/// ArgumentParser's. Tests compare the tables with ArgumentParser's view of each command, and both parsers'
/// results over many command lines.
enum FastArgumentParser {
    /// The command `arguments` (rewritten by `OptionGrammar`, subcommand name first) ask for, or `nil` when
    /// ArgumentParser must parse them.
    static func parse(_ arguments: [String]) -> (any ParsableCommand)? {
        guard let name = arguments.first else { return nil }
        let rest = arguments.dropFirst()
        switch name {
        case PGDumpKitCommand.List.configuration.commandName: return command(PGDumpKitCommand.List.self, rest)
        case PGDumpKitCommand.SQL.configuration.commandName: return command(PGDumpKitCommand.SQL.self, rest)
        case PGDumpKitCommand.Info.configuration.commandName: return command(PGDumpKitCommand.Info.self, rest)
        case PGDumpKitCommand.Verify.configuration.commandName: return command(PGDumpKitCommand.Verify.self, rest)
        case PGDumpKitCommand.Extract.configuration.commandName: return command(PGDumpKitCommand.Extract.self, rest)
        default: return nil
        }
    }

    /// `Command` filled from `arguments` (the subcommand's name dropped), or `nil`.
    static func command<Command: FastParsable & ParsableCommand>(
        _ type: Command.Type, _ arguments: ArraySlice<String>
    ) -> Command? {
        guard var commandLine = FastCommandLine(arguments) else { return nil }
        guard var command = commandLine.fill(Command.self), commandLine.isFullyClaimed else { return nil }
        // ArgumentParser validates each option group as it decodes it, then the command.
        do { try command.validate() } catch { return nil }
        return command
    }
}

/// A command or option group that declares its arguments for `FastArgumentParser`: every property, each with its
/// names and default as the property wrapper declares them.
protocol FastParsable: ParsableArguments {
    static var fastArguments: [FastArgument<Self>] { get }
}

/// One argument of a command or option group: a flag, an option with a value, a repeatable option, the operand,
/// or a nested option group.
struct FastArgument<Root> {
    typealias Kind = FastArgumentDescription.Kind
    typealias Description = FastArgumentDescription

    let description: Description
    /// A group's arguments, flattened (the group itself is no argument of ArgumentParser's).
    let groupMembers: () -> [Description]
    /// Assigns the property: from the arguments it claims, or its default. `false` when a value does not parse
    /// or an argument given once is given again (ArgumentParser then decides).
    let fill: (inout Root, inout FastCommandLine) -> Bool

    private init(
        _ kind: Kind, _ shortNames: [Character], _ longNames: [String],
        groupMembers: @escaping () -> [Description] = { [] },
        fill: @escaping (inout Root, inout FastCommandLine) -> Bool
    ) {
        description = Description(kind: kind, shortNames: shortNames, longNames: longNames)
        self.groupMembers = groupMembers
        self.fill = fill
    }

    /// A Boolean flag, false unless given (once).
    static func flag(
        _ short: Character? = nil, _ longNames: String..., set: @escaping (inout Root, Bool) -> Void
    ) -> Self {
        let shortNames = short.map { [$0] } ?? []
        return Self(.flag, shortNames, longNames) { root, commandLine in
            let occurrences = commandLine.claim(short: shortNames, long: longNames)
            guard occurrences.count <= 1, occurrences.allSatisfy({ $0 == nil }) else { return false }
            set(&root, !occurrences.isEmpty)
            return true
        }
    }

    /// An option that takes one value, given at most once.
    static func option<Value: ExpressibleByArgument>(
        _ short: Character? = nil, _ longNames: String..., default defaultValue: Value,
        set: @escaping (inout Root, Value) -> Void
    ) -> Self {
        let shortNames = short.map { [$0] } ?? []
        return Self(.option, shortNames, longNames) { root, commandLine in
            let occurrences = commandLine.claim(short: shortNames, long: longNames)
            guard let occurrence = occurrences.first else {
                set(&root, defaultValue)
                return true
            }
            guard occurrences.count == 1, let text = occurrence, let value = Value(argument: String(text)) else {
                return false
            }
            set(&root, value)
            return true
        }
    }

    /// An optional option that takes one value, `nil` unless given (once).
    static func option<Value: ExpressibleByArgument>(
        _ short: Character? = nil, _ longNames: String..., set: @escaping (inout Root, Value?) -> Void
    ) -> Self {
        let shortNames = short.map { [$0] } ?? []
        return Self(.option, shortNames, longNames) { root, commandLine in
            let occurrences = commandLine.claim(short: shortNames, long: longNames)
            guard let occurrence = occurrences.first else {
                set(&root, nil)
                return true
            }
            guard occurrences.count == 1, let text = occurrence, let value = Value(argument: String(text)) else {
                return false
            }
            set(&root, value)
            return true
        }
    }

    /// A repeatable option: every value given, in order, or none.
    static func repeatedOption<Element: ExpressibleByArgument>(
        _ short: Character? = nil, _ longNames: String..., set: @escaping (inout Root, [Element]) -> Void
    ) -> Self {
        let shortNames = short.map { [$0] } ?? []
        return Self(.repeatedOption, shortNames, longNames) { root, commandLine in
            var values: [Element] = []
            for occurrence in commandLine.claim(short: shortNames, long: longNames) {
                guard let text = occurrence, let value = Element(argument: String(text)) else { return false }
                values.append(value)
            }
            set(&root, values)
            return true
        }
    }

    /// The single operand, `defaultValue` when none is given.
    static func operand(default defaultValue: String, set: @escaping (inout Root, String) -> Void) -> Self {
        Self(.operand, [], []) { root, commandLine in
            set(&root, commandLine.claimOperand() ?? defaultValue)
            return true
        }
    }

    /// An option group, filled from the same arguments and validated as ArgumentParser validates it.
    static func group<Group: FastParsable>(_ type: Group.Type, set: @escaping (inout Root, Group) -> Void) -> Self {
        Self(.group, [], [], groupMembers: { Group.fastArgumentDescriptions }) { root, commandLine in
            guard var group = commandLine.fill(Group.self) else { return false }
            do { try group.validate() } catch { return false }
            set(&root, group)
            return true
        }
    }
}

/// An argument's kind and names, as the tests compare them with ArgumentParser's.
struct FastArgumentDescription: Equatable {
    enum Kind: Equatable {
        case flag, option, repeatedOption, operand, group
    }

    var kind: Kind
    var shortNames: [Character]
    var longNames: [String]
}

extension FastParsable {
    /// Every argument of this command or group and its groups, as ArgumentParser lists them.
    static var fastArgumentDescriptions: [FastArgumentDescription] {
        var descriptions: [FastArgumentDescription] = []
        for argument in fastArguments {
            if argument.description.kind == .group {
                descriptions += argument.groupMembers()
            } else {
                descriptions.append(argument.description)
            }
        }
        return descriptions
    }
}

/// The arguments split into names, values and operands, and which of them a declared argument has claimed.
struct FastCommandLine {
    enum Token {
        /// `--name` or `--name=value`.
        case long(Substring, value: Substring?)
        /// One letter of `-abc`.
        case short(Character)
        case operand(String)
    }

    private var tokens: [Token] = []
    private var claimed: [Bool] = []

    /// `nil` for forms whose reading by ArgumentParser is not simply this one: `--name=` (ArgumentParser then
    /// takes the next argument as the value) and an empty operand.
    init?(_ arguments: ArraySlice<String>) {
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                for operand in arguments[index...] {
                    guard !operand.isEmpty else { return nil }
                    tokens.append(.operand(operand))
                }
                break
            }
            if argument.hasPrefix("--") {
                let body = argument.dropFirst(2)
                if let equals = body.firstIndex(of: "=") {
                    let value = body[body.index(after: equals)...]
                    guard !value.isEmpty else { return nil }
                    tokens.append(.long(body[..<equals], value: value))
                } else {
                    tokens.append(.long(body, value: nil))
                }
            } else if argument.hasPrefix("-") && argument != "-" {
                for letter in argument.dropFirst() { tokens.append(.short(letter)) }
            } else {
                guard !argument.isEmpty else { return nil }
                tokens.append(.operand(argument))
            }
        }
        claimed = Array(repeating: false, count: tokens.count)
    }

    var isFullyClaimed: Bool { !claimed.contains(false) }

    /// Claims every occurrence of these names, in order: each one's value (`nil` when none was attached).
    mutating func claim(short shortNames: [Character], long longNames: [String]) -> [Substring?] {
        var values: [Substring?] = []
        for (index, token) in tokens.enumerated() where !claimed[index] {
            switch token {
            case .long(let name, let value) where longNames.contains(where: { $0 == name }):
                values.append(value)
            case .short(let letter) where shortNames.contains(letter):
                values.append(nil)
            default:
                continue
            }
            claimed[index] = true
        }
        return values
    }

    /// Claims the first operand not yet claimed.
    mutating func claimOperand() -> String? {
        for (index, token) in tokens.enumerated() where !claimed[index] {
            if case .operand(let operand) = token {
                claimed[index] = true
                return operand
            }
        }
        return nil
    }

    /// A default-initialised `Parsed` with every declared argument assigned, or `nil`.
    mutating func fill<Parsed: FastParsable>(_ type: Parsed.Type) -> Parsed? {
        var parsed = Parsed()
        for argument in Parsed.fastArguments {
            guard argument.fill(&parsed, &self) else { return nil }
        }
        return parsed
    }
}
