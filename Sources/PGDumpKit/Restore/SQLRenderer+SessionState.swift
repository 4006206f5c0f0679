import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

#if canImport(Glibc)
import Glibc
#endif

/// The script's session state: the SET commands pg_restore issues once, and the role, schema, tablespace and
/// table access method it switches to only when an entry needs another (`_becomeOwner`, `_selectOutputSchema`…).
extension SQLRenderer {
    // MARK: - Session state

    /// The fixed SET block. Mirrors `_doSetFixedOutputState`.
    func setFixedOutputState() {
        put("SET statement_timeout = 0;\n")
        put("SET lock_timeout = 0;\n")
        put("SET idle_in_transaction_session_timeout = 0;\n")
        // transaction_timeout is 17+; older servers reject the SET (--target-version).
        if (script.targetServerMajor ?? 17) >= 17 { put("SET transaction_timeout = 0;\n") }
        put("SET client_encoding = '\(settings.encoding.name)';\n")
        put("SET standard_conforming_strings = \(scriptStandardConformingStrings ? "on" : "off");\n")
        if let role = script.role {
            put("SET ROLE ")
            put(SQLQuoting.identifier(role, encoding: settings.encoding))
            put(";\n")
        }
        if let searchPath = settings.searchPath { put(searchPath) }
        put("SET check_function_bodies = false;\n")
        put("SET xmloption = content;\n")
        put("SET client_min_messages = warning;\n")
        if !scriptStandardConformingStrings { put("SET escape_string_warning = off;\n") }
        put("SET row_security = \(script.enableRowSecurity ? "on" : "off");\n")
        if script.transactionSize > 0 { put("\nBEGIN;\n") }
        put("\n")
    }

    /// Whether the script's string literals are standard: as the archive's, except for PostgreSQL 19 and later,
    /// which have no `standard_conforming_strings = off` (`--target-version`; definitions and INSERT data are
    /// rewritten to `E'…'` literals to match).
    var scriptStandardConformingStrings: Bool {
        settings.standardConformingStrings || (script.targetServerMajor ?? 0) >= 19
    }

    /// Mirrors `_becomeUser`.
    func becomeUser(_ user: [UInt8]?) {
        let wanted = user ?? []
        if let currentUser, currentUser == wanted { return }
        put("SET SESSION AUTHORIZATION ")
        if wanted.isEmpty {
            put("DEFAULT")
        } else {
            put(SQLQuoting.stringLiteral(
                wanted, standardConformingStrings: scriptStandardConformingStrings, encoding: settings.encoding))
        }
        put(";\n\n")
        currentUser = wanted
    }

    /// Mirrors `_becomeOwner`.
    func becomeOwner(_ entry: TOCEntry) {
        guard !script.noOwner && script.useSetSessionAuthorization else { return }
        becomeUser(entry.owner?.bytes)
    }

    /// Mirrors `_selectOutputSchema`: only archives without a SEARCHPATH entry (before 1.13) switch schemas.
    func selectOutputSchema(_ schema: [UInt8]?) {
        guard settings.searchPath == nil, let schema, !schema.isEmpty, currentSchema != schema else { return }
        put("SET search_path = ")
        put(SQLQuoting.identifier(schema, encoding: settings.encoding))
        if schema != Array("pg_catalog".utf8) { put(", pg_catalog") }
        put(";\n\n")
        currentSchema = schema
    }

    /// Mirrors `_selectTablespace`.
    func selectTablespace(_ tablespace: ArchiveText?) {
        guard !script.noTablespaces, let wanted = tablespace?.bytes, currentTablespace != wanted else { return }
        if wanted.isEmpty {
            put("SET default_tablespace = ''")
        } else {
            put("SET default_tablespace = ")
            put(SQLQuoting.identifier(wanted, encoding: settings.encoding))
        }
        put(";\n\n")
        currentTablespace = wanted
    }

    /// Mirrors `_selectTableAccessMethod`.
    func selectTableAccessMethod(_ tableam: ArchiveText?) {
        guard !script.noTableAccessMethod, let wanted = tableam?.bytes, currentTableAccessMethod != wanted else {
            return
        }
        put("SET default_table_access_method = ")
        put(SQLQuoting.identifier(wanted, encoding: settings.encoding))
        put(";\n\n")
        currentTableAccessMethod = wanted
    }

    /// Counts one action for `--transaction-size`, committing when the batch is full.
    func countAction(_ count: Int = 1, separator: String = "COMMIT;\nBEGIN;\n\n") {
        guard script.transactionSize > 0 else { return }
        transactionCount += count
        if transactionCount >= script.transactionSize {
            put(separator)
            transactionCount = 0
        }
    }
}
