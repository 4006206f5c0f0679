/* ZSTD_getCParams: the parameters a level uses, to cap them within a memory budget. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
#include <zstd_errors.h>
