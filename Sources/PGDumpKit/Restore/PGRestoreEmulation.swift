import PGDumpCore
import PGDumpCodecs
import PGDumpFormats

/// The pg_restore whose output pgdumpkit reproduces.
///
/// A few outputs depend on pg_restore's own version rather than on the archive: for archives older than 1.10,
/// `-l` names pg_restore's version as the "pg_dump version".
package enum PGRestoreEmulation {
    /// The release emulated: PostgreSQL 18.6.
    package static let version = "18.6"
}
