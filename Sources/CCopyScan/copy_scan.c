// The COPY row count of verify and `extract --format copy`, 64 bytes per step with AVX2: the rows of a big table
// are long runs of ordinary bytes with a few tabs and one newline, so the work per row is a population count
// and a compare, and per 64 bytes three vector compares. Chosen at run time (pgdk_copy_scan_available); the
// Swift scan, sixteen bytes at a time, remains for other CPUs.
#include "copy_scan.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

int pgdk_copy_scan_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
}

static inline pgdk_copy_scan scan_result(size_t index, size_t rows, size_t row_end, size_t tabs) {
    pgdk_copy_scan result = {index, rows, row_end, tabs};
    return result;
}

/// Bits 0..<bit set (bit ≤ 64).
__attribute__((target("avx2,popcnt,bmi")))
static inline uint64_t bits_below(unsigned bit) {
    return bit >= 64 ? ~(uint64_t)0 : (((uint64_t)1 << bit) - 1);
}

__attribute__((target("avx2,popcnt,bmi")))
static inline uint64_t equal_mask(__m256i low, __m256i high, __m256i byte) {
    uint32_t a = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, byte));
    uint32_t b = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, byte));
    return (uint64_t)a | ((uint64_t)b << 32);
}

/// One step of the scan: the 64 bytes at block, which start at offset index of the data, of which those whose bits
/// are set in valid count. Returns 1 when the scan stops in them (result filled in), 0 when it goes on past them.
__attribute__((target("avx2,popcnt,bmi")))
static inline int scan_block(const uint8_t *block, uint64_t valid, size_t index, size_t tabs_per_row, size_t *rows,
                             size_t *row_end, size_t *tabs, pgdk_copy_scan *result) {
    const __m256i tab = _mm256_set1_epi8('\t'), newline = _mm256_set1_epi8('\n');
    const __m256i backslash = _mm256_set1_epi8('\\'), carriage_return = _mm256_set1_epi8('\r');
    __m256i low = _mm256_loadu_si256((const __m256i *)block);
    __m256i high = _mm256_loadu_si256((const __m256i *)(block + 32));
    uint64_t tabs_here = equal_mask(low, high, tab) & valid;
    uint64_t newlines = equal_mask(low, high, newline) & valid;
    uint64_t stops = (equal_mask(low, high, backslash) | equal_mask(low, high, carriage_return)) & valid;
    if ((newlines | stops) == 0) {
        *tabs += (size_t)__builtin_popcountll(tabs_here);
        return 0;
    }
    unsigned first_stop = stops ? (unsigned)__builtin_ctzll(stops) : 64;
    newlines &= bits_below(first_stop);
    // Bits of this block that belong to rows already passed.
    uint64_t passed = 0;
    while (newlines) {
        unsigned bit = (unsigned)__builtin_ctzll(newlines);
        size_t row_tabs = *tabs + (size_t)__builtin_popcountll(tabs_here & bits_below(bit) & ~passed);
        if (row_tabs != tabs_per_row) {
            *result = scan_result(index + bit, *rows, *row_end, row_tabs);
            return 1;
        }
        *rows += 1;
        *row_end = index + bit + 1;
        *tabs = 0;
        passed = bits_below(bit + 1);
        newlines &= newlines - 1;
    }
    *tabs += (size_t)__builtin_popcountll(tabs_here & bits_below(first_stop) & ~passed);
    if (first_stop < 64) {
        *result = scan_result(index + first_stop, *rows, *row_end, *tabs);
        return 1;
    }
    return 0;
}

__attribute__((target("avx2,popcnt,bmi")))
pgdk_copy_scan pgdk_copy_count_rows(const uint8_t *data, size_t start, size_t count, size_t tabs_per_row,
                                    size_t tabs_before) {
    size_t rows = 0, row_end = start, tabs = tabs_before, index = start;
    pgdk_copy_scan result;
    for (; index + 64 <= count; index += 64) {
        if (scan_block(data + index, ~(uint64_t)0, index, tabs_per_row, &rows, &row_end, &tabs, &result)) return result;
    }
    if (index < count) {
        // The last bytes: a chunk of one short row (an uncompressed custom archive stores a block per row) should
        // cost one step, not a byte loop. Sixty-four bytes that lie in one page can be loaded whatever follows the
        // data (a load faults only on a page it may not read), the bytes past the end masked off; otherwise they
        // are copied into a block of ordinary bytes first, which costs a stall (the load waits for the copy).
        const uint8_t *tail = data + index;
        uint64_t valid = bits_below((unsigned)(count - index));
        if (((uintptr_t)tail & 4095) <= 4096 - 64) {
            if (scan_block(tail, valid, index, tabs_per_row, &rows, &row_end, &tabs, &result)) return result;
        } else {
            uint8_t last[64];
            memset(last, 'x', sizeof last);
            memcpy(last, tail, count - index);
            if (scan_block(last, valid, index, tabs_per_row, &rows, &row_end, &tabs, &result)) return result;
        }
    }
    return scan_result(count, rows, row_end, tabs);
}

#else

int pgdk_copy_scan_available(void) { return 0; }

pgdk_copy_scan pgdk_copy_count_rows(const uint8_t *data, size_t start, size_t count, size_t tabs_per_row,
                                    size_t tabs_before) {
    (void)data; (void)count; (void)tabs_per_row;
    pgdk_copy_scan result = {start, 0, start, tabs_before};
    return result;
}

#endif
