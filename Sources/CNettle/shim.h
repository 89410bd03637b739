#ifndef CNETTLE_SHIM_H
#define CNETTLE_SHIM_H
/* Nettle gives SOPS its AES-256-GCM: any IV length (sops uses 32 bytes, which libsodium's GCM
   does not take), AES-NI and PCLMULQDQ chosen at load time where the CPU has them (constant
   time), and no start-up work. OpenSSL's EVP GCM would need its provider machinery, 1-2 ms per
   process, more than the rest of a `gitopsctl decrypt`. Like libcrypto, libgit2 and libcurl it
   is opened with dlopen on first use: the header gives Swift the types, the functions come
   through a cnettle_api table that cnettle_open fills. */
#include <nettle/gcm.h>
#include <nettle/memops.h>
#include <nettle/version.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#define CNETTLE_FUNCTIONS(X) \
    X(nettle_version_major) X(nettle_gcm_aes256_set_key) X(nettle_gcm_aes256_set_iv) \
    X(nettle_gcm_aes256_update) X(nettle_gcm_aes256_encrypt) X(nettle_gcm_aes256_decrypt) \
    X(nettle_gcm_aes256_digest) X(nettle_memeql_sec)

#if defined(__has_attribute) && __has_attribute(swift_attr)
/* Only function pointers, written once before any reader sees the table. */
#define CNETTLE_SENDABLE __attribute__((swift_attr("@Sendable")))
#else
#define CNETTLE_SENDABLE
#endif

typedef struct CNETTLE_SENDABLE cnettle_api {
#define CNETTLE_FIELD(name) __typeof__(name) *_Nonnull name;
    CNETTLE_FUNCTIONS(CNETTLE_FIELD)
#undef CNETTLE_FIELD
} cnettle_api;

/* Opens the library file `name` and fills `api` from it: 0 on success; otherwise the reason is
   in `error` and the result is -1 when the file could not be opened, -2 when it opened but is
   not a usable Nettle (the SONAME, libnettle.so.8, covers Nettle 3.x; the major version of the
   headers must match). */
static inline int cnettle_open(const char *_Nonnull name, cnettle_api *_Nonnull api, char *_Nonnull error, size_t size) {
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(error, size, "%s", dlerror());
        return -1;
    }
#define CNETTLE_SYMBOL(fn) \
    if (!(api->fn = (__typeof__(api->fn))dlsym(library, #fn))) { \
        snprintf(error, size, "%s has no " #fn, name); \
        dlclose(library); \
        return -2; \
    }
    CNETTLE_FUNCTIONS(CNETTLE_SYMBOL)
#undef CNETTLE_SYMBOL
    int major = api->nettle_version_major();
    if (major != NETTLE_VERSION_MAJOR) {
        snprintf(error, size, "%s is Nettle %d, but gitopsctl was built for Nettle %d", name, major, NETTLE_VERSION_MAJOR);
        dlclose(library);
        return -2;
    }
    return 0;
}

#pragma clang assume_nonnull begin
/* memset through a volatile pointer: the compiler may not drop it as a dead store, which is the
   point of wiping a key schedule that is about to go out of scope. */
static void *(*const volatile cnettle_wipe)(void *, int, size_t) = memset;

/* AES-256-GCM seal or open of one value (GCM derives J0 with GHASH for IVs that are not 96 bits,
   as Go's NewGCMWithNonceSize does). 0 on success. `cnettle_gcm_open` compares the tag in
   constant time and, when it does not match, wipes what it wrote to `out` and returns -1. The
   context (key schedule, hash key) is wiped before returning. */
static inline int cnettle_gcm_seal(const cnettle_api *api, const uint8_t *key, const uint8_t *iv, size_t iv_len,
                                   const uint8_t *_Nullable aad, size_t aad_len, const uint8_t *_Nullable in,
                                   size_t len, uint8_t *_Nullable out, uint8_t *tag) {
    if (iv_len == 0 || (len > 0 && (!in || !out)) || (aad_len > 0 && !aad)) return -1;
    struct gcm_aes256_ctx ctx;
    api->nettle_gcm_aes256_set_key(&ctx, key);
    api->nettle_gcm_aes256_set_iv(&ctx, iv_len, iv);
    if (aad_len > 0) api->nettle_gcm_aes256_update(&ctx, aad_len, aad);
    if (len > 0) api->nettle_gcm_aes256_encrypt(&ctx, len, out, in);
    api->nettle_gcm_aes256_digest(&ctx, GCM_DIGEST_SIZE, tag);
    cnettle_wipe(&ctx, 0, sizeof ctx);
    return 0;
}

static inline int cnettle_gcm_open(const cnettle_api *api, const uint8_t *key, const uint8_t *iv, size_t iv_len,
                                   const uint8_t *_Nullable aad, size_t aad_len, const uint8_t *_Nullable in,
                                   size_t len, const uint8_t *tag, uint8_t *_Nullable out) {
    if (iv_len == 0 || (len > 0 && (!in || !out)) || (aad_len > 0 && !aad)) return -1;
    struct gcm_aes256_ctx ctx;
    uint8_t computed[GCM_DIGEST_SIZE];
    api->nettle_gcm_aes256_set_key(&ctx, key);
    api->nettle_gcm_aes256_set_iv(&ctx, iv_len, iv);
    if (aad_len > 0) api->nettle_gcm_aes256_update(&ctx, aad_len, aad);
    if (len > 0) api->nettle_gcm_aes256_decrypt(&ctx, len, out, in);
    api->nettle_gcm_aes256_digest(&ctx, GCM_DIGEST_SIZE, computed);
    cnettle_wipe(&ctx, 0, sizeof ctx);
    int match = api->nettle_memeql_sec(computed, tag, GCM_DIGEST_SIZE);
    if (!match && len > 0 && out) cnettle_wipe(out, 0, len);
    return match ? 0 : -1;
}
#pragma clang assume_nonnull end
#endif
