/* libcurl is opened at first use (dlopen), not linked: only archives at URLs need it, and linking it would load it
   and its chain (OpenSSL, GnuTLS, Kerberos, LDAP...) on every run. The functions pgdumpkit calls are looked up
   into this table once; the header gives their types. curl_easy_setopt and curl_easy_getinfo are variadic, which
   Swift cannot call: one typed wrapper per argument type, which calls through the table. */
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

struct pgdk_curl_api {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    CURLcode (*easy_pause)(CURL *, int);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
    const char *(*multi_strerror)(CURLMcode);
    CURLcode (*easy_perform)(CURL *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
};

/* Fills `api` from the opened `library`; returns NULL when every function was found, else the first missing name. */
static inline const char *pgdk_curl_load(struct pgdk_curl_api *api, void *library) {
#define PGDK_LOOKUP(field, name) \
    if (!(*(void **)&api->field = dlsym(library, name))) return name;
    PGDK_LOOKUP(global_init, "curl_global_init")
    PGDK_LOOKUP(easy_init, "curl_easy_init")
    PGDK_LOOKUP(easy_cleanup, "curl_easy_cleanup")
    PGDK_LOOKUP(easy_pause, "curl_easy_pause")
    PGDK_LOOKUP(easy_strerror, "curl_easy_strerror")
    PGDK_LOOKUP(easy_setopt, "curl_easy_setopt")
    PGDK_LOOKUP(easy_getinfo, "curl_easy_getinfo")
    PGDK_LOOKUP(multi_init, "curl_multi_init")
    PGDK_LOOKUP(multi_cleanup, "curl_multi_cleanup")
    PGDK_LOOKUP(multi_add_handle, "curl_multi_add_handle")
    PGDK_LOOKUP(multi_remove_handle, "curl_multi_remove_handle")
    PGDK_LOOKUP(multi_perform, "curl_multi_perform")
    PGDK_LOOKUP(multi_info_read, "curl_multi_info_read")
    PGDK_LOOKUP(multi_poll, "curl_multi_poll")
    PGDK_LOOKUP(multi_strerror, "curl_multi_strerror")
    PGDK_LOOKUP(easy_perform, "curl_easy_perform")
    PGDK_LOOKUP(slist_append, "curl_slist_append")
    PGDK_LOOKUP(slist_free_all, "curl_slist_free_all")
#undef PGDK_LOOKUP
    return NULL;
}

static inline CURLcode pgdk_curl_setopt_long(const struct pgdk_curl_api *api, CURL *handle, CURLoption option,
                                             long value) {
    return api->easy_setopt(handle, option, value);
}
static inline CURLcode pgdk_curl_setopt_offset(const struct pgdk_curl_api *api, CURL *handle, CURLoption option,
                                               curl_off_t value) {
    return api->easy_setopt(handle, option, value);
}
static inline CURLcode pgdk_curl_setopt_string(const struct pgdk_curl_api *api, CURL *handle, CURLoption option,
                                               const char *value) {
    return api->easy_setopt(handle, option, value);
}
static inline CURLcode pgdk_curl_setopt_pointer(const struct pgdk_curl_api *api, CURL *handle, CURLoption option,
                                                void *value) {
    return api->easy_setopt(handle, option, value);
}
static inline CURLcode pgdk_curl_setopt_write_function(const struct pgdk_curl_api *api, CURL *handle,
                                                       CURLoption option,
                                                       size_t (*function)(char *, size_t, size_t, void *)) {
    return api->easy_setopt(handle, option, function);
}
static inline CURLcode pgdk_curl_getinfo_long(const struct pgdk_curl_api *api, CURL *handle, CURLINFO info,
                                              long *value) {
    return api->easy_getinfo(handle, info, value);
}
static inline CURLcode pgdk_curl_getinfo_offset(const struct pgdk_curl_api *api, CURL *handle, CURLINFO info,
                                                curl_off_t *value) {
    return api->easy_getinfo(handle, info, value);
}
