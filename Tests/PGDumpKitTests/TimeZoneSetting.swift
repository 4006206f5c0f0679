import Foundation

/// pg_restore prints creation times in the reader's time zone; the recorded outputs were made with TZ=UTC.
enum TimeZoneSetting {
    static func useUTC() {
        setenv("TZ", "UTC", 1)
        tzset()
    }
}
