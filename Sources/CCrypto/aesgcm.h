#ifndef CCRYPTO_AESGCM_H
#define CCRYPTO_AESGCM_H
/* AES-256-GCM on the AES-NI and PCLMULQDQ instructions, for SOPS values (any IV length; sops
   uses 32 bytes). libcrypto's EVP path computes the same thing, but its first use in a process
   starts the provider machinery (name maps of every algorithm, openssl.cnf): one to three
   milliseconds, against microseconds for the values of a Secret. These instructions are
   constant-time, like OpenSSL's own AES-NI code; a CPU without them reports
   ccrypto_gcm_available() == 0 and the caller uses EVP. GHASH follows Intel's carry-less
   multiplication white paper (Gueron and Kounavis, algorithm 5: byte-reflected operands, shift
   left by one, reduction modulo x^128 + x^7 + x^2 + x + 1). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <cpuid.h>
#include <immintrin.h>

#define CCRYPTO_GCM_TARGET __attribute__((target("aes,pclmul,ssse3,sse4.1")))
#pragma clang assume_nonnull begin

static inline int ccrypto_gcm_available(void) {
    unsigned int a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    /* ECX: bit 1 PCLMULQDQ, bit 9 SSSE3, bit 19 SSE4.1, bit 25 AES. */
    return (c & (1u << 1)) && (c & (1u << 9)) && (c & (1u << 19)) && (c & (1u << 25));
}

CCRYPTO_GCM_TARGET static inline __m128i ccrypto_gcm_expand_even(__m128i key, __m128i assist) {
    assist = _mm_shuffle_epi32(assist, 0xff);
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    return _mm_xor_si128(key, assist);
}

CCRYPTO_GCM_TARGET static inline __m128i ccrypto_gcm_expand_odd(__m128i key, __m128i previous) {
    __m128i assist = _mm_shuffle_epi32(_mm_aeskeygenassist_si128(previous, 0x00), 0xaa);
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    key = _mm_xor_si128(key, _mm_slli_si128(key, 4));
    return _mm_xor_si128(key, assist);
}

CCRYPTO_GCM_TARGET static inline void ccrypto_gcm_schedule(const uint8_t *key, __m128i *rk) {
    rk[0] = _mm_loadu_si128((const __m128i *)key);
    rk[1] = _mm_loadu_si128((const __m128i *)(key + 16));
#define CCRYPTO_GCM_ROUND(i, rcon) \
    rk[i] = ccrypto_gcm_expand_even(rk[i - 2], _mm_aeskeygenassist_si128(rk[i - 1], rcon)); \
    if (i < 14) rk[i + 1] = ccrypto_gcm_expand_odd(rk[i - 1], rk[i]);
    CCRYPTO_GCM_ROUND(2, 0x01) CCRYPTO_GCM_ROUND(4, 0x02) CCRYPTO_GCM_ROUND(6, 0x04)
    CCRYPTO_GCM_ROUND(8, 0x08) CCRYPTO_GCM_ROUND(10, 0x10) CCRYPTO_GCM_ROUND(12, 0x20)
    CCRYPTO_GCM_ROUND(14, 0x40)
#undef CCRYPTO_GCM_ROUND
}

CCRYPTO_GCM_TARGET static inline __m128i ccrypto_gcm_block(const __m128i *rk, __m128i x) {
    x = _mm_xor_si128(x, rk[0]);
    for (int i = 1; i < 14; i++) x = _mm_aesenc_si128(x, rk[i]);
    return _mm_aesenclast_si128(x, rk[14]);
}

CCRYPTO_GCM_TARGET static inline __m128i ccrypto_gcm_reflect(__m128i x) {
    return _mm_shuffle_epi8(x, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

/* a * b in GF(2^128), both byte-reflected. */
CCRYPTO_GCM_TARGET static inline __m128i ccrypto_gcm_multiply(__m128i a, __m128i b) {
    __m128i t3 = _mm_clmulepi64_si128(a, b, 0x00);
    __m128i t4 = _mm_clmulepi64_si128(a, b, 0x10);
    __m128i t5 = _mm_clmulepi64_si128(a, b, 0x01);
    __m128i t6 = _mm_clmulepi64_si128(a, b, 0x11);
    t4 = _mm_xor_si128(t4, t5);
    t5 = _mm_slli_si128(t4, 8);
    t4 = _mm_srli_si128(t4, 8);
    t3 = _mm_xor_si128(t3, t5);
    t6 = _mm_xor_si128(t6, t4);
    /* Shift the 256-bit product left by one bit (the operands were reflected). */
    __m128i t7 = _mm_srli_epi32(t3, 31);
    __m128i t8 = _mm_srli_epi32(t6, 31);
    t3 = _mm_slli_epi32(t3, 1);
    t6 = _mm_slli_epi32(t6, 1);
    __m128i t9 = _mm_srli_si128(t7, 12);
    t8 = _mm_slli_si128(t8, 4);
    t7 = _mm_slli_si128(t7, 4);
    t3 = _mm_or_si128(t3, t7);
    t6 = _mm_or_si128(t6, t8);
    t6 = _mm_or_si128(t6, t9);
    /* Reduce. */
    t7 = _mm_slli_epi32(t3, 31);
    t8 = _mm_slli_epi32(t3, 30);
    t9 = _mm_slli_epi32(t3, 25);
    t7 = _mm_xor_si128(t7, t8);
    t7 = _mm_xor_si128(t7, t9);
    t8 = _mm_srli_si128(t7, 4);
    t7 = _mm_slli_si128(t7, 12);
    t3 = _mm_xor_si128(t3, t7);
    __m128i t2 = _mm_srli_epi32(t3, 1);
    t4 = _mm_srli_epi32(t3, 2);
    t5 = _mm_srli_epi32(t3, 7);
    t2 = _mm_xor_si128(t2, t4);
    t2 = _mm_xor_si128(t2, t5);
    t2 = _mm_xor_si128(t2, t8);
    t3 = _mm_xor_si128(t3, t2);
    return _mm_xor_si128(t6, t3);
}

/* Folds `length` bytes into the (reflected) GHASH state, the last block zero-padded. */
CCRYPTO_GCM_TARGET static inline __m128i ccrypto_gcm_ghash(__m128i y, __m128i h, const uint8_t *data, size_t length) {
    while (length > 0) {
        uint8_t block[16] = {0};
        size_t n = length < 16 ? length : 16;
        memcpy(block, data, n);
        y = ccrypto_gcm_multiply(_mm_xor_si128(y, ccrypto_gcm_reflect(_mm_loadu_si128((const __m128i *)block))), h);
        data += n;
        length -= n;
    }
    return y;
}

CCRYPTO_GCM_TARGET static inline __m128i ccrypto_gcm_lengths(__m128i y, __m128i h, uint64_t first, uint64_t second) {
    uint8_t block[16];
    for (int i = 0; i < 8; i++) {
        block[i] = (uint8_t)((first * 8) >> (56 - 8 * i));
        block[8 + i] = (uint8_t)((second * 8) >> (56 - 8 * i));
    }
    return ccrypto_gcm_multiply(_mm_xor_si128(y, ccrypto_gcm_reflect(_mm_loadu_si128((const __m128i *)block))), h);
}

/* The pre-counter block J0 (NIST SP 800-38D 7.1): IV || 0^31 || 1 for 96-bit IVs, else the
   GHASH of the zero-padded IV and its bit length. */
CCRYPTO_GCM_TARGET static inline void ccrypto_gcm_j0(__m128i h, const uint8_t *iv, size_t ivLength, uint8_t *j0) {
    if (ivLength == 12) {
        memcpy(j0, iv, 12);
        j0[12] = 0; j0[13] = 0; j0[14] = 0; j0[15] = 1;
        return;
    }
    __m128i y = ccrypto_gcm_ghash(_mm_setzero_si128(), h, iv, ivLength);
    y = ccrypto_gcm_lengths(y, h, 0, ivLength);
    _mm_storeu_si128((__m128i *)j0, ccrypto_gcm_reflect(y));
}

/* CTR mode from inc32(J0): only the last 32 bits count, wrapping, as GCM defines. */
CCRYPTO_GCM_TARGET static inline void ccrypto_gcm_ctr(const __m128i *rk, const uint8_t *j0, const uint8_t *in, uint8_t *out, size_t length) {
    uint32_t counter = ((uint32_t)j0[12] << 24) | ((uint32_t)j0[13] << 16) | ((uint32_t)j0[14] << 8) | j0[15];
    uint8_t block[16];
    memcpy(block, j0, 12);
    while (length > 0) {
        counter++;
        block[12] = (uint8_t)(counter >> 24); block[13] = (uint8_t)(counter >> 16);
        block[14] = (uint8_t)(counter >> 8); block[15] = (uint8_t)counter;
        uint8_t stream[16];
        _mm_storeu_si128((__m128i *)stream, ccrypto_gcm_block(rk, _mm_loadu_si128((const __m128i *)block)));
        size_t n = length < 16 ? length : 16;
        for (size_t i = 0; i < n; i++) out[i] = in[i] ^ stream[i];
        in += n;
        out += n;
        length -= n;
    }
}

CCRYPTO_GCM_TARGET static inline void ccrypto_gcm_tag(const __m128i *rk, __m128i h, const uint8_t *j0,
                                                      const uint8_t *aad, size_t aadLength,
                                                      const uint8_t *ciphertext, size_t length, uint8_t *tag) {
    __m128i y = ccrypto_gcm_ghash(_mm_setzero_si128(), h, aad, aadLength);
    y = ccrypto_gcm_ghash(y, h, ciphertext, length);
    y = ccrypto_gcm_lengths(y, h, aadLength, length);
    __m128i mask = ccrypto_gcm_block(rk, _mm_loadu_si128((const __m128i *)j0));
    _mm_storeu_si128((__m128i *)tag, _mm_xor_si128(ccrypto_gcm_reflect(y), mask));
}

static inline void ccrypto_gcm_wipe(void *buffer, size_t size) {
    volatile uint8_t *p = (volatile uint8_t *)buffer;
    while (size--) *p++ = 0;
}

/* Encrypts `length` bytes of `in` into `out` (the same length) and writes the 16-byte tag. */
CCRYPTO_GCM_TARGET static inline void ccrypto_gcm_seal(const uint8_t *_Nonnull key, const uint8_t *_Nonnull iv, size_t ivLength,
                                                       const uint8_t *_Nonnull aad, size_t aadLength,
                                                       const uint8_t *_Nonnull in, size_t length,
                                                       uint8_t *_Nonnull out, uint8_t *_Nonnull tag) {
    __m128i rk[15];
    uint8_t j0[16];
    ccrypto_gcm_schedule(key, rk);
    __m128i h = ccrypto_gcm_reflect(ccrypto_gcm_block(rk, _mm_setzero_si128()));
    ccrypto_gcm_j0(h, iv, ivLength, j0);
    ccrypto_gcm_ctr(rk, j0, in, out, length);
    ccrypto_gcm_tag(rk, h, j0, aad, aadLength, out, length, tag);
    ccrypto_gcm_wipe(rk, sizeof rk);
    ccrypto_gcm_wipe(&h, sizeof h);
}

/* Checks the tag first (in constant time) and decrypts only then: 0 on success, -1 with
   nothing written when authentication fails. */
CCRYPTO_GCM_TARGET static inline int ccrypto_gcm_open(const uint8_t *_Nonnull key, const uint8_t *_Nonnull iv, size_t ivLength,
                                                     const uint8_t *_Nonnull aad, size_t aadLength,
                                                     const uint8_t *_Nonnull in, size_t length,
                                                     const uint8_t *_Nonnull tag, uint8_t *_Nonnull out) {
    __m128i rk[15];
    uint8_t j0[16], expected[16];
    ccrypto_gcm_schedule(key, rk);
    __m128i h = ccrypto_gcm_reflect(ccrypto_gcm_block(rk, _mm_setzero_si128()));
    ccrypto_gcm_j0(h, iv, ivLength, j0);
    ccrypto_gcm_tag(rk, h, j0, aad, aadLength, in, length, expected);
    uint8_t difference = 0;
    for (int i = 0; i < 16; i++) difference |= (uint8_t)(expected[i] ^ tag[i]);
    int result = -1;
    if (difference == 0) {
        ccrypto_gcm_ctr(rk, j0, in, out, length);
        result = 0;
    }
    ccrypto_gcm_wipe(rk, sizeof rk);
    ccrypto_gcm_wipe(&h, sizeof h);
    return result;
}

#pragma clang assume_nonnull end
#else

static inline int ccrypto_gcm_available(void) { return 0; }

static inline void ccrypto_gcm_seal(const uint8_t *_Nonnull key, const uint8_t *_Nonnull iv, size_t ivLength,
                                    const uint8_t *_Nonnull aad, size_t aadLength,
                                    const uint8_t *_Nonnull in, size_t length,
                                    uint8_t *_Nonnull out, uint8_t *_Nonnull tag) {}

static inline int ccrypto_gcm_open(const uint8_t *_Nonnull key, const uint8_t *_Nonnull iv, size_t ivLength,
                                   const uint8_t *_Nonnull aad, size_t aadLength,
                                   const uint8_t *_Nonnull in, size_t length,
                                   const uint8_t *_Nonnull tag, uint8_t *_Nonnull out) { return -1; }

#endif
#endif
