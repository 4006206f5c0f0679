#ifndef PGDUMPKIT_COPY_SCAN_H
#define PGDUMPKIT_COPY_SCAN_H

#include <stddef.h>
#include <stdint.h>

/// Where pgdk_copy_count_rows stopped.
typedef struct {
    /// Offset of the byte that stopped the scan (a newline ending a row with the wrong number of fields, a
    /// backslash or a carriage return), or the end of the data.
    size_t index;
    /// Rows with exactly the expected number of fields, each ended by a newline, that the scan passed.
    size_t rows;
    /// Offset just after the last of those rows' newlines; the start offset when `rows` is 0.
    size_t row_end;
    /// Tabs in the row the scan stopped in, up to `index`: counted from the start of that row, or, when no row
    /// was passed, added to the tabs the caller had counted before the start.
    size_t tabs;
} pgdk_copy_scan;

/// True when this CPU has the vector instructions pgdk_copy_count_rows is written for (AVX2 on x86-64). The
/// caller keeps its own scan otherwise.
int pgdk_copy_scan_available(void);

/// Counts COPY text rows in data[start, count) without decoding them: passes every row that ends with a newline
/// and holds exactly `tabs_per_row` tabs and no backslash or carriage return, and stops at the first byte that
/// needs the caller (see pgdk_copy_scan.index). `tabs_before` is the number of tabs of the current row before
/// `start`. Only call it when pgdk_copy_scan_available() says so.
pgdk_copy_scan pgdk_copy_count_rows(const uint8_t *data, size_t start, size_t count, size_t tabs_per_row,
                                    size_t tabs_before);

#endif
