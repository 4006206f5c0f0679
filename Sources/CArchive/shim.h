/* libarchive is opened at first use (dlopen), not linked: only compressed scripts and the diagnosis of inputs that
   are not archives need it, and linking it would load it and its chain (libxml2, ICU, nettle, lzma...) on every
   run. The functions pgdumpkit calls are looked up into this table once; the header gives their types. */
#include <archive.h>
#include <archive_entry.h>
#include <dlfcn.h>
#include <stddef.h>

struct pgdk_archive_api {
    struct archive *(*read_new)(void);
    int (*read_free)(struct archive *);
    int (*read_support_filter_gzip)(struct archive *);
    int (*read_support_filter_zstd)(struct archive *);
    int (*read_support_filter_lz4)(struct archive *);
    int (*read_support_filter_xz)(struct archive *);
    int (*read_support_filter_bzip2)(struct archive *);
    int (*read_support_filter_lzip)(struct archive *);
    int (*read_support_filter_compress)(struct archive *);
    int (*read_support_format_raw)(struct archive *);
    int (*read_open_memory)(struct archive *, const void *, size_t);
    int (*read_open)(struct archive *, void *, archive_open_callback *, archive_read_callback *,
                     archive_close_callback *);
    int (*read_next_header)(struct archive *, struct archive_entry **);
    la_ssize_t (*read_data)(struct archive *, void *, size_t);
    const char *(*error_string)(struct archive *);
};

/* Fills `api` from the opened `library`; returns NULL when every function was found, else the first missing name. */
static inline const char *pgdk_archive_load(struct pgdk_archive_api *api, void *library) {
#define PGDK_LOOKUP(field, name) \
    if (!(*(void **)&api->field = dlsym(library, name))) return name;
    PGDK_LOOKUP(read_new, "archive_read_new")
    PGDK_LOOKUP(read_free, "archive_read_free")
    PGDK_LOOKUP(read_support_filter_gzip, "archive_read_support_filter_gzip")
    PGDK_LOOKUP(read_support_filter_zstd, "archive_read_support_filter_zstd")
    PGDK_LOOKUP(read_support_filter_lz4, "archive_read_support_filter_lz4")
    PGDK_LOOKUP(read_support_filter_xz, "archive_read_support_filter_xz")
    PGDK_LOOKUP(read_support_filter_bzip2, "archive_read_support_filter_bzip2")
    PGDK_LOOKUP(read_support_filter_lzip, "archive_read_support_filter_lzip")
    PGDK_LOOKUP(read_support_filter_compress, "archive_read_support_filter_compress")
    PGDK_LOOKUP(read_support_format_raw, "archive_read_support_format_raw")
    PGDK_LOOKUP(read_open_memory, "archive_read_open_memory")
    PGDK_LOOKUP(read_open, "archive_read_open")
    PGDK_LOOKUP(read_next_header, "archive_read_next_header")
    PGDK_LOOKUP(read_data, "archive_read_data")
    PGDK_LOOKUP(error_string, "archive_error_string")
#undef PGDK_LOOKUP
    return NULL;
}
