#include "byte_kernels.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define RF_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint8_t alphabet[64] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// ---------------------------------------------------------------- CPU check

#ifdef RF_X86
// AVX2 is usable when the CPU has it and the OS saves the YMM state (OSXSAVE + XCR0 bits 1 and 2).
static int detect_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 27))) return 0;  // OSXSAVE
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6u) != 6u) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & (1u << 5)) != 0;  // AVX2
}

// -1 unknown, 0 no, 1 yes. A race only repeats the detection, which gives the same answer.
static int avx2_state = -1;

static int has_avx2(void) {
    int state = __atomic_load_n(&avx2_state, __ATOMIC_RELAXED);
    if (state < 0) {
        state = detect_avx2();
        __atomic_store_n(&avx2_state, state, __ATOMIC_RELAXED);
    }
    return state;
}
#endif

// ---------------------------------------------------------------- base64

static size_t base64_scalar(const uint8_t *src, size_t count, uint8_t *dst) {
    size_t i = 0, o = 0;
    for (; i + 3 <= count; i += 3, o += 4) {
        uint32_t v = (uint32_t)src[i] << 16 | (uint32_t)src[i + 1] << 8 | src[i + 2];
        dst[o] = alphabet[v >> 18 & 63];
        dst[o + 1] = alphabet[v >> 12 & 63];
        dst[o + 2] = alphabet[v >> 6 & 63];
        dst[o + 3] = alphabet[v & 63];
    }
    size_t rest = count - i;
    if (rest > 0) {
        uint32_t v = (uint32_t)src[i] << 16 | (rest > 1 ? (uint32_t)src[i + 1] << 8 : 0);
        dst[o] = alphabet[v >> 18 & 63];
        dst[o + 1] = alphabet[v >> 12 & 63];
        dst[o + 2] = rest > 1 ? alphabet[v >> 6 & 63] : '=';
        dst[o + 3] = '=';
        o += 4;
    }
    return o;
}

#ifdef RF_X86
// 24 input bytes → 32 characters per step. Each 128-bit lane takes 12 bytes; a byte shuffle spreads every
// 3-byte group [a b c] over a 32-bit word as [b a c b], multiplies move the four 6-bit fields into their own
// bytes, and a 16-entry table of offsets (chosen by range) turns each 6-bit value into its character.
__attribute__((target("avx2")))
static size_t base64_avx2(const uint8_t *src, size_t count, uint8_t *dst) {
    const __m256i spread = _mm256_setr_epi8(
        1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,
        1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
    const __m256i mask_ac = _mm256_set1_epi32(0x0fc0fc00);
    const __m256i mul_ac = _mm256_set1_epi32(0x04000040);
    const __m256i mask_bd = _mm256_set1_epi32(0x003f03f0);
    const __m256i mul_bd = _mm256_set1_epi32(0x01000010);
    const __m256i n51 = _mm256_set1_epi8(51);
    const __m256i n25 = _mm256_set1_epi8(25);
    const __m256i n13 = _mm256_set1_epi8(13);
    const __m256i offsets = _mm256_setr_epi8(
        'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
        '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0,
        'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
        '0' - 52, '0' - 52, '0' - 52, '+' - 62, '/' - 63, 'A', 0, 0);
    size_t i = 0, o = 0;
    // The high lane loads 16 bytes at i + 12, so 28 bytes must be readable.
    for (; i + 28 <= count; i += 24, o += 32) {
        __m128i lo = _mm_loadu_si128((const __m128i *)(src + i));
        __m128i hi = _mm_loadu_si128((const __m128i *)(src + i + 12));
        __m256i in = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
        in = _mm256_shuffle_epi8(in, spread);
        __m256i ac = _mm256_mulhi_epu16(_mm256_and_si256(in, mask_ac), mul_ac);
        __m256i bd = _mm256_mullo_epi16(_mm256_and_si256(in, mask_bd), mul_bd);
        __m256i indices = _mm256_or_si256(ac, bd);
        // 0 for 26...51, 1...12 for 52...63, 13 for 0...25.
        __m256i range = _mm256_subs_epu8(indices, n51);
        __m256i upper = _mm256_cmpgt_epi8(indices, n25);  // indices are 0...63: a signed compare is exact
        range = _mm256_or_si256(range, _mm256_andnot_si256(upper, n13));
        __m256i text = _mm256_add_epi8(indices, _mm256_shuffle_epi8(offsets, range));
        _mm256_storeu_si256((__m256i *)(dst + o), text);
    }
    return o + base64_scalar(src + i, count - i, dst + o);
}
#endif

size_t rf_base64_encode(const uint8_t *src, size_t count, uint8_t *dst) {
#ifdef RF_X86
    if (count >= 28 && has_avx2()) return base64_avx2(src, count, dst);
#endif
    return base64_scalar(src, count, dst);
}

// 0-63 for the standard alphabet, 0xFF for every other byte.
static const uint8_t decode_table[256] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x3E, 0xFF, 0xFF, 0xFF, 0x3F,
    0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E,
    0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2A, 0x2B, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x31, 0x32, 0x33, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
};

static size_t decode_quads_scalar(const uint8_t *src, size_t count, uint8_t *dst, size_t *consumed) {
    const uint8_t *table = decode_table;
    size_t i = 0, o = 0;
    for (; i + 4 <= count; i += 4, o += 3) {
        uint8_t a = table[src[i]], b = table[src[i + 1]], c = table[src[i + 2]], d = table[src[i + 3]];
        if ((a | b | c | d) & 0x80) break;
        uint32_t v = (uint32_t)a << 18 | (uint32_t)b << 12 | (uint32_t)c << 6 | d;
        dst[o] = (uint8_t)(v >> 16);
        dst[o + 1] = (uint8_t)(v >> 8);
        dst[o + 2] = (uint8_t)v;
    }
    *consumed = i;
    return o;
}

#ifdef RF_X86
// 32 characters → 24 bytes per step. Validation and translation from the two nibbles of each character
// (a character is valid when lut_lo[low] & lut_hi[high] == 0; its 6-bit value is the character plus an offset
// chosen by its high nibble, '/' apart), then two multiply-adds pack four 6-bit values into 3 bytes per word.
__attribute__((target("avx2")))
static size_t base64_decode_avx2(const uint8_t *src, size_t count, uint8_t *dst, size_t *consumed) {
    const __m256i lut_lo = _mm256_setr_epi8(
        0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A,
        0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B, 0x1A);
    const __m256i lut_hi = _mm256_setr_epi8(
        0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
        0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
    const __m256i lut_roll = _mm256_setr_epi8(
        0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i slash = _mm256_set1_epi8('/');
    const __m256i merge_pairs = _mm256_set1_epi32(0x01400140);
    const __m256i merge_quads = _mm256_set1_epi32(0x00011000);
    const __m256i gather = _mm256_setr_epi8(
        2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
        2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);
    size_t i = 0, o = 0;
    for (; i + 32 <= count; i += 32, o += 24) {
        __m256i in = _mm256_loadu_si256((const __m256i *)(src + i));
        __m256i hi = _mm256_and_si256(_mm256_srli_epi32(in, 4), nibble);
        __m256i lo = _mm256_and_si256(in, nibble);
        __m256i check = _mm256_and_si256(_mm256_shuffle_epi8(lut_lo, lo), _mm256_shuffle_epi8(lut_hi, hi));
        if (!_mm256_testz_si256(check, check)) break;
        __m256i roll = _mm256_shuffle_epi8(lut_roll, _mm256_add_epi8(_mm256_cmpeq_epi8(in, slash), hi));
        __m256i values = _mm256_add_epi8(in, roll);
        __m256i pairs = _mm256_maddubs_epi16(values, merge_pairs);
        __m256i words = _mm256_madd_epi16(pairs, merge_quads);
        __m256i packed = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(words, gather), lanes);
        _mm_storeu_si128((__m128i *)(dst + o), _mm256_castsi256_si128(packed));
        _mm_storel_epi64((__m128i *)(dst + o + 16), _mm256_extracti128_si256(packed, 1));
    }
    size_t rest = 0;
    o += decode_quads_scalar(src + i, count - i, dst + o, &rest);
    *consumed = i + rest;
    return o;
}
#endif

size_t rf_base64_decode_prefix(const uint8_t *src, size_t count, uint8_t *dst, size_t *consumed) {
#ifdef RF_X86
    if (count >= 32 && has_avx2()) return base64_decode_avx2(src, count, dst, consumed);
#endif
    return decode_quads_scalar(src, count, dst, consumed);
}

// ---------------------------------------------------------------- JSON strings

static size_t json_scan_scalar(const uint8_t *bytes, size_t start, size_t count) {
    size_t i = start;
    while (i < count && bytes[i] != '"' && bytes[i] != '\\' && bytes[i] >= 0x20) i++;
    return i;
}

#ifdef RF_X86
__attribute__((target("avx2")))
static size_t json_scan_avx2(const uint8_t *bytes, size_t start, size_t count) {
    const __m256i quote = _mm256_set1_epi8('"');
    const __m256i backslash = _mm256_set1_epi8('\\');
    const __m256i space = _mm256_set1_epi8(0x20);
    size_t i = start;
    for (; i + 32 <= count; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(bytes + i));
        __m256i printable = _mm256_cmpeq_epi8(_mm256_max_epu8(v, space), v);  // unsigned v >= 0x20
        __m256i special = _mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, backslash));
        unsigned stop = (unsigned)_mm256_movemask_epi8(special) | ~(unsigned)_mm256_movemask_epi8(printable);
        if (stop) return i + (size_t)__builtin_ctz(stop);
    }
    return json_scan_scalar(bytes, i, count);
}
#endif

size_t rf_json_string_scan(const uint8_t *bytes, size_t start, size_t count) {
    if (start >= count) return count;
#ifdef RF_X86
    if (count - start >= 32 && has_avx2()) return json_scan_avx2(bytes, start, count);
#endif
    return json_scan_scalar(bytes, start, count);
}

// ---------------------------------------------------------------- JPEG entropy-coded data

static inline int is_marker_start(const uint8_t *bytes, size_t position, size_t count) {
    if (position + 1 >= count) return 0;
    uint8_t next = bytes[position + 1];
    return !(next == 0x00 || next == 0xFF || (next >= 0xD0 && next <= 0xD7));
}

static ptrdiff_t entropy_end_scalar(const uint8_t *bytes, size_t start, size_t count) {
    size_t offset = start;
    while (offset < count) {
        const uint8_t *hit = memchr(bytes + offset, 0xFF, count - offset);
        if (!hit) return -1;
        size_t position = (size_t)(hit - bytes);
        if (position + 1 >= count) return -1;
        if (is_marker_start(bytes, position, count)) return (ptrdiff_t)position;
        offset = position + 1;
    }
    return -1;
}

#ifdef RF_X86
// 32 positions per step: an 0xFF whose following byte is not 0x00, 0xFF or 0xD0...0xD7.
__attribute__((target("avx2")))
static ptrdiff_t entropy_end_avx2(const uint8_t *bytes, size_t start, size_t count) {
    const __m256i ff = _mm256_set1_epi8((char)0xFF);
    const __m256i zero = _mm256_setzero_si256();
    const __m256i rst_mask = _mm256_set1_epi8((char)0xF8);
    const __m256i rst = _mm256_set1_epi8((char)0xD0);
    size_t offset = start;
    // Reads 32 bytes at offset + 1, so 33 must be readable.
    for (; offset + 33 <= count; offset += 32) {
        __m256i here = _mm256_loadu_si256((const __m256i *)(bytes + offset));
        __m256i is_ff = _mm256_cmpeq_epi8(here, ff);
        if (_mm256_testz_si256(is_ff, is_ff)) continue;
        __m256i next = _mm256_loadu_si256((const __m256i *)(bytes + offset + 1));
        __m256i harmless = _mm256_or_si256(
            _mm256_or_si256(_mm256_cmpeq_epi8(next, zero), _mm256_cmpeq_epi8(next, ff)),
            _mm256_cmpeq_epi8(_mm256_and_si256(next, rst_mask), rst));
        unsigned found = (unsigned)_mm256_movemask_epi8(_mm256_andnot_si256(harmless, is_ff));
        if (found) return (ptrdiff_t)(offset + (size_t)__builtin_ctz(found));
    }
    return entropy_end_scalar(bytes, offset, count);
}
#endif

ptrdiff_t rf_jpeg_entropy_end(const uint8_t *bytes, size_t start, size_t count) {
    if (start >= count) return -1;
#ifdef RF_X86
    if (has_avx2()) return entropy_end_avx2(bytes, start, count);
#endif
    return entropy_end_scalar(bytes, start, count);
}
