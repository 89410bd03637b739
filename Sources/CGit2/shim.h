#ifndef CGIT2_SHIM_H
#define CGIT2_SHIM_H
#include <git2.h>

/* git_libgit2_opts is variadic: Swift cannot call it. One non-variadic wrapper per use. */
static inline int cgit2_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}
static inline int cgit2_set_search_path(int level, const char *path) {
    return git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, path);
}
#endif
