#ifndef CCRYPTO_SHIM_H
#define CCRYPTO_SHIM_H
/* libcrypto is opened with dlopen on first use instead of being linked. Linked, every gitopsctl
   process paid for loading it before main (about 21,000 relocations, ~0.8 ms), although only
   large age payloads use it. The header still gives Swift every type and
   constant; the functions are reached through a ccrypto_api table that ccrypto_open fills. */
#include <openssl/evp.h>
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
    X(EVP_EncryptFinal_ex) X(EVP_DecryptFinal_ex) X(EVP_chacha20_poly1305)

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

#endif
