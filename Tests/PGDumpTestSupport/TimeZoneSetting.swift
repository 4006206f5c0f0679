import Foundation

/// pg_restore prints creation times in the reader's time zone; the recorded outputs were made with TZ=UTC.
public enum TimeZoneSetting {
    public static func useUTC() {
        setenv("TZ", "UTC", 1)
        tzset()
    }
}
