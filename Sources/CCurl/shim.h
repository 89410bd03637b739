#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H
/* libcurl is opened with dlopen on first use instead of being linked. Linked, it made every
   gitopsctl process, `gitopsctl version` included, load libcurl and its dependencies (nghttp2,
   idn2, rtmp, ssh2, psl, gssapi/krb5, ldap, zstd, brotli, ...) before main: about half of the
   start-up time, for the commands that never talk to a cluster. The header still gives Swift
   every type and constant; the functions are reached through a ccurl_api table that
   ccurl_resolve fills.

   curl_easy_setopt / curl_easy_getinfo are C varargs (and, under GCC/clang, type-checking
   macros): Swift cannot call them. Each argument type gets a non-variadic static inline
   wrapper below, given the table's pointer to the variadic function. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>

/* Every libcurl function gitopsctl calls, without its curl_ prefix: Swift calls
   `curl.easy_perform(handle)` where C would call curl_easy_perform(handle). The field types
   are taken from the prototypes in <curl/curl.h>. */
#define CCURL_FUNCTIONS(X) \
    X(global_init) X(version) X(version_info) \
    X(easy_init) X(easy_cleanup) X(easy_perform) X(easy_strerror) X(easy_setopt) X(easy_getinfo) \
    X(slist_append) X(slist_free_all)

#if defined(__has_attribute) && __has_attribute(swift_attr)
/* Only function pointers, written once before any reader sees the table. */
#define CCURL_SENDABLE __attribute__((swift_attr("@Sendable")))
#else
#define CCURL_SENDABLE
#endif

typedef struct CCURL_SENDABLE ccurl_api {
#define CCURL_FIELD(name) __typeof__(curl_##name) *_Nonnull name;
    CCURL_FUNCTIONS(CCURL_FIELD)
#undef CCURL_FIELD
} ccurl_api;

/* The *_BLOB options that carry kubeconfig certificates and keys in memory. */
#define CCURL_OLDEST_VERSION_NUM 0x074700
#define CCURL_OLDEST_VERSION "7.71.0"

/* Opens the library file `name` and fills `api` from it. 0 on success; otherwise the reason
   is in `error` and the result is -1 when the file could not be opened, -2 when it was opened
   but is not a usable libcurl. libcurl has kept its ABI under SONAME 4 since 2006, so any
   libcurl.so.4 new enough for the *_BLOB options will do (see LibCurl.candidates). */
static inline int ccurl_open(const char *_Nonnull name, ccurl_api *_Nonnull api, char *_Nonnull error, size_t size) {
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(error, size, "%s", dlerror());
        return -1;
    }
#define CCURL_SYMBOL(fn) \
    if (!(api->fn = (__typeof__(api->fn))dlsym(library, "curl_" #fn))) { \
        snprintf(error, size, "%s has no curl_" #fn, name); \
        dlclose(library); \
        return -2; \
    }
    CCURL_FUNCTIONS(CCURL_SYMBOL)
#undef CCURL_SYMBOL
    const curl_version_info_data *info = api->version_info(CURLVERSION_NOW);
    if (!info || info->version_num < CCURL_OLDEST_VERSION_NUM) {
        snprintf(error, size, "%s is libcurl %s, but gitopsctl needs %s or later",
                 name, info && info->version ? info->version : "(unknown)", CCURL_OLDEST_VERSION);
        dlclose(library);
        return -2;
    }
    return 0;
}

typedef __typeof__(curl_easy_setopt) *ccurl_setopt_fn;
typedef __typeof__(curl_easy_getinfo) *ccurl_getinfo_fn;
typedef size_t (*ccurl_write_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef size_t (*ccurl_read_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*ccurl_xferinfo_cb)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode ccurl_setopt_long(ccurl_setopt_fn _Nonnull f, CURL *h, CURLoption o, long v) { return f(h, o, v); }
static inline CURLcode ccurl_setopt_off(ccurl_setopt_fn _Nonnull f, CURL *h, CURLoption o, curl_off_t v) { return f(h, o, v); }
static inline CURLcode ccurl_setopt_string(ccurl_setopt_fn _Nonnull f, CURL *h, CURLoption o, const char *v) { return f(h, o, v); }
static inline CURLcode ccurl_setopt_pointer(ccurl_setopt_fn _Nonnull f, CURL *h, CURLoption o, void *v) { return f(h, o, v); }
static inline CURLcode ccurl_setopt_blob(ccurl_setopt_fn _Nonnull f, CURL *h, CURLoption o, struct curl_blob *v) { return f(h, o, v); }
static inline CURLcode ccurl_setopt_slist(ccurl_setopt_fn _Nonnull f, CURL *h, CURLoption o, struct curl_slist *v) { return f(h, o, v); }
static inline CURLcode ccurl_setopt_write_cb(ccurl_setopt_fn _Nonnull f, CURL *h, CURLoption o, ccurl_write_cb v) { return f(h, o, v); }
static inline CURLcode ccurl_setopt_read_cb(ccurl_setopt_fn _Nonnull f, CURL *h, CURLoption o, ccurl_read_cb v) { return f(h, o, v); }
static inline CURLcode ccurl_setopt_xferinfo_cb(ccurl_setopt_fn _Nonnull f, CURL *h, CURLoption o, ccurl_xferinfo_cb v) { return f(h, o, v); }
static inline CURLcode ccurl_getinfo_long(ccurl_getinfo_fn _Nonnull f, CURL *h, CURLINFO i, long *v) { return f(h, i, v); }
static inline CURLcode ccurl_getinfo_double(ccurl_getinfo_fn _Nonnull f, CURL *h, CURLINFO i, double *v) { return f(h, i, v); }
static inline CURLcode ccurl_getinfo_string(ccurl_getinfo_fn _Nonnull f, CURL *h, CURLINFO i, char **v) { return f(h, i, v); }
static inline CURLcode ccurl_getinfo_off(ccurl_getinfo_fn _Nonnull f, CURL *h, CURLINFO i, curl_off_t *v) { return f(h, i, v); }
#endif
