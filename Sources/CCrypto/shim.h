#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
/* libcrypto is opened with dlopen on first use instead of being linked. Linked, every gitopsctl
   process paid for loading it before main (about 21,000 relocations, ~0.8 ms), although only
   SOPS values and large age payloads use it. The header still gives Swift every type and
   constant; the functions are reached through a ccrypto_api table that ccrypto_open fills. */
/* AES_set_encrypt_key/AES_encrypt are deprecated in favour of EVP, but they are the only way
   to libcrypto's GCM without the provider start-up EVP costs (see ccrypto_gcm_seal). */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/evp.h>
#include <openssl/aes.h>
#include <openssl/modes.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

/* Every libcrypto function gitopsctl calls, under its own name: Swift calls
   `api.EVP_CIPHER_CTX_new()`. The field types are taken from the prototypes in the headers, so
   a call with wrong arguments fails to compile. */
#define CCRYPTO_FUNCTIONS(X) \
    X(OpenSSL_version_num) X(EVP_CIPHER_CTX_new) X(EVP_CIPHER_CTX_free) X(EVP_CIPHER_CTX_ctrl) \
    X(EVP_EncryptInit_ex) X(EVP_DecryptInit_ex) X(EVP_EncryptUpdate) X(EVP_DecryptUpdate) \
    X(EVP_EncryptFinal_ex) X(EVP_DecryptFinal_ex) X(EVP_aes_256_gcm) X(EVP_chacha20_poly1305) \
    X(AES_set_encrypt_key) X(AES_encrypt) X(CRYPTO_gcm128_new) X(CRYPTO_gcm128_release) \
    X(CRYPTO_gcm128_setiv) X(CRYPTO_gcm128_aad) X(CRYPTO_gcm128_encrypt) X(CRYPTO_gcm128_decrypt) \
    X(CRYPTO_gcm128_finish) X(CRYPTO_gcm128_tag) X(OPENSSL_cleanse)

#if defined(__has_attribute) && __has_attribute(swift_attr)
/* Only function pointers, written once before any reader sees the table. */
#define CCRYPTO_SENDABLE __attribute__((swift_attr("@Sendable")))
#else
#define CCRYPTO_SENDABLE
#endif

typedef struct CCRYPTO_SENDABLE ccrypto_api {
#define CCRYPTO_FIELD(name) __typeof__(name) *_Nonnull name;
    CCRYPTO_FUNCTIONS(CCRYPTO_FIELD)
#undef CCRYPTO_FIELD
} ccrypto_api;

/* Opens the library file `name` and fills `api` from it. 0 on success; otherwise the reason
   is in `error` and the result is -1 when the file could not be opened, -2 when it was opened
   but is not a usable libcrypto. OpenSSL keeps its ABI within a major version, which is also
   its SONAME (libcrypto.so.3), so the major version of the headers must match. */
static inline int ccrypto_open(const char *_Nonnull name, ccrypto_api *_Nonnull api, char *_Nonnull error, size_t size) {
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(error, size, "%s", dlerror());
        return -1;
    }
#define CCRYPTO_SYMBOL(fn) \
    if (!(api->fn = (__typeof__(api->fn))dlsym(library, #fn))) { \
        snprintf(error, size, "%s has no " #fn, name); \
        dlclose(library); \
        return -2; \
    }
    CCRYPTO_FUNCTIONS(CCRYPTO_SYMBOL)
#undef CCRYPTO_SYMBOL
    unsigned long major = api->OpenSSL_version_num() >> 28;
    if (major != OPENSSL_VERSION_MAJOR) {
        snprintf(error, size, "%s is OpenSSL %lu, but gitopsctl was built for OpenSSL %d",
                 name, major, OPENSSL_VERSION_MAJOR);
        dlclose(library);
        return -2;
    }
    return 0;
}

#pragma clang assume_nonnull begin
/* AES-256-GCM with any IV length (sops uses 32 bytes) on libcrypto's AES block function and its
   GCM mode (modes/gcm128.c, GHASH on PCLMULQDQ where the CPU has it). The first EVP cipher of a
   process starts OpenSSL's provider machinery (name maps of every algorithm, openssl.cnf):
   one to three milliseconds, more than all the rest of a `gitopsctl decrypt`. Both functions
   return 0 on success; `ccrypto_gcm_open` checks the tag and, when it does not match, wipes
   what it wrote to `out` and returns -1. The expanded key is wiped before returning. */
static inline int ccrypto_gcm_run(const ccrypto_api *api, int encrypt, const unsigned char *key,
                                  const unsigned char *iv, size_t iv_len, const unsigned char *_Nullable aad, size_t aad_len,
                                  const unsigned char *_Nullable in, size_t len, unsigned char *_Nullable out, unsigned char *tag) {
    AES_KEY schedule;
    int rc = -1;
    if (api->AES_set_encrypt_key(key, 256, &schedule) != 0) return -1;
    GCM128_CONTEXT *gcm = api->CRYPTO_gcm128_new(&schedule, (block128_f)api->AES_encrypt);
    if (gcm) {
        api->CRYPTO_gcm128_setiv(gcm, iv, iv_len);
        if ((aad_len == 0 || api->CRYPTO_gcm128_aad(gcm, aad, aad_len) == 0)
            && (len == 0 || (encrypt ? api->CRYPTO_gcm128_encrypt(gcm, in, out, len)
                                     : api->CRYPTO_gcm128_decrypt(gcm, in, out, len)) == 0)) {
            if (encrypt) {
                api->CRYPTO_gcm128_tag(gcm, tag, 16);
                rc = 0;
            } else {
                rc = api->CRYPTO_gcm128_finish(gcm, tag, 16) == 0 ? 0 : -1;
            }
        }
        api->CRYPTO_gcm128_release(gcm); /* frees with OPENSSL_clear_free */
    }
    if (rc != 0 && !encrypt && len > 0 && out) api->OPENSSL_cleanse(out, len);
    api->OPENSSL_cleanse(&schedule, sizeof schedule);
    return rc;
}

static inline int ccrypto_gcm_seal(const ccrypto_api *api, const unsigned char *key, const unsigned char *iv, size_t iv_len,
                                   const unsigned char *_Nullable aad, size_t aad_len, const unsigned char *_Nullable in,
                                   size_t len, unsigned char *_Nullable out, unsigned char *tag) {
    return ccrypto_gcm_run(api, 1, key, iv, iv_len, aad, aad_len, in, len, out, tag);
}

static inline int ccrypto_gcm_open(const ccrypto_api *api, const unsigned char *key, const unsigned char *iv, size_t iv_len,
                                   const unsigned char *_Nullable aad, size_t aad_len, const unsigned char *_Nullable in,
                                   size_t len, const unsigned char *tag, unsigned char *_Nullable out) {
    unsigned char expected[16];
    memcpy(expected, tag, 16);
    return ccrypto_gcm_run(api, 0, key, iv, iv_len, aad, aad_len, in, len, out, expected);
}
#pragma clang assume_nonnull end
#endif
