#ifndef CGIT2_SHIM_H
#define CGIT2_SHIM_H
/* libgit2 is opened with dlopen on first use instead of being linked. Linked, it made every
   gitopsctl process, `gitopsctl version` included, load libgit2 and its dependencies (mbedTLS,
   libssh2, http-parser, pcre2, zlib, ...) before main: about half of the start-up time, for
   the few commands that touch git. The header still gives Swift every type and constant; the
   functions are reached through a cgit2_api table that cgit2_resolve fills. */
#include <git2.h>
#include <dlfcn.h>
#include <stdio.h>

/* Every libgit2 function gitopsctl calls, without its git_ prefix: Swift calls
   `git.repository_free(handle)` where C would call git_repository_free(handle). The field types
   are taken from the prototypes in <git2.h>, so a call with wrong arguments fails to compile. */
#define CGIT2_FUNCTIONS(X) \
    X(libgit2_init) X(libgit2_opts) X(libgit2_features) X(libgit2_version) X(error_last) \
    X(repository_open_ext) X(repository_free) X(repository_is_bare) X(repository_workdir) \
    X(repository_index) \
    X(reference_lookup) X(reference_free) X(reference_type) X(reference_symbolic_target) \
    X(reference_name_to_id) \
    X(remote_lookup) X(remote_free) X(remote_url) X(remote_push) X(push_options_init) \
    X(credential_ssh_key_from_agent) X(credential_ssh_key_new) X(credential_username_new) \
    X(index_add_all) X(index_update_all) X(index_write) X(index_free) X(index_write_tree) \
    X(index_get_bypath) \
    X(tree_lookup) X(tree_free) X(commit_lookup) X(commit_free) X(commit_tree_id) X(commit_create) \
    X(oid_equal) X(signature_now) X(signature_default) X(signature_free) \
    X(ignore_path_is_ignored) \
    X(status_options_init) X(status_list_new) X(status_list_free) X(status_list_entrycount) \
    X(status_byindex)

#if defined(__has_attribute) && __has_attribute(swift_attr)
/* Only function pointers, written once before any reader sees the table. */
#define CGIT2_SENDABLE __attribute__((swift_attr("@Sendable")))
#else
#define CGIT2_SENDABLE
#endif

typedef struct CGIT2_SENDABLE cgit2_api {
#define CGIT2_FIELD(name) __typeof__(git_##name) *_Nonnull name;
    CGIT2_FUNCTIONS(CGIT2_FIELD)
#undef CGIT2_FIELD
} cgit2_api;

#ifndef LIBGIT2_SOVERSION
#define CGIT2_STRING(x) #x
#define CGIT2_VERSION_STRING(major, minor) CGIT2_STRING(major) "." CGIT2_STRING(minor)
#define LIBGIT2_SOVERSION CGIT2_VERSION_STRING(LIBGIT2_VER_MAJOR, LIBGIT2_VER_MINOR)
#endif

/* Opens the library file `name` and fills `api` from it. 0 on success; otherwise the reason
   is in `error` and the result is -1 when the file could not be opened, -2 when it was opened
   but is not a usable libgit2. libgit2 changes its ABI (struct layouts, option versions) in
   every minor release and says so in its SONAME, so only the major.minor of <git2.h> is usable;
   the caller tries the names in order (see LibGit2.candidates). */
static inline int cgit2_open(const char *_Nonnull name, cgit2_api *_Nonnull api, char *_Nonnull error, size_t size) {
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(error, size, "%s", dlerror());
        return -1;
    }
#define CGIT2_SYMBOL(fn) \
    if (!(api->fn = (__typeof__(api->fn))dlsym(library, "git_" #fn))) { \
        snprintf(error, size, "%s has no git_" #fn, name); \
        dlclose(library); \
        return -2; \
    }
    CGIT2_FUNCTIONS(CGIT2_SYMBOL)
#undef CGIT2_SYMBOL
    int major = 0, minor = 0, revision = 0;
    if (api->libgit2_version(&major, &minor, &revision) != 0
            || major != LIBGIT2_VER_MAJOR || minor != LIBGIT2_VER_MINOR) {
        snprintf(error, size, "%s is libgit2 %d.%d.%d, but gitopsctl was built for libgit2 %s",
                 name, major, minor, revision, LIBGIT2_SOVERSION);
        dlclose(library);
        return -2;
    }
    return 0;
}

/* git_libgit2_opts is variadic: Swift cannot call it, and sees the table's pointer to it as
   opaque. One non-variadic wrapper per use, given that pointer. */
typedef __typeof__(git_libgit2_opts) *cgit2_opts_fn;
static inline int cgit2_set_search_path(cgit2_opts_fn _Nonnull opts, int level, const char *_Nullable path) {
    return opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}
#endif
