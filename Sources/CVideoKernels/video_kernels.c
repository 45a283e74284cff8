#include "video_kernels.h"
#include "range_rows.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#else
#include <pthread.h>
#endif

static uint8_t clamp_u8(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

/* The reference: round((y − 16) · 255 / 219) for luma, 128 + round((c − 128) · 255 / 224) (halves away from 0)
   for chroma, clamped. The tables serve machines without SSE2; the SSE2 loops compute the same values with 16-bit
   arithmetic (luma: v + ((v · 10771 + 32768) >> 16) with v = clamp(y − 16, 0, 219); chroma: a + ((a · 71 + 247) >> 9)
   with a = |c − 128|), equal to the tables for every input byte (VideoLogicTests checks all 256). */
uint8_t rf_range_reference(uint8_t value, int chroma) {
    int i = value;
    if (chroma) return clamp_u8(128 + (((i - 128) * 255) + ((i - 128) >= 0 ? 112 : -112)) / 224);
    return clamp_u8((int)(((i - 16) * 255 + 109) / 219 - ((i - 16) < 0 ? 1 : 0)));
}

#if defined(__SSE2__)
static void expand_luma_row(const uint8_t *s, uint8_t *d, int n) {
    const __m128i k16 = _mm_set1_epi8(16), k219 = _mm_set1_epi8((char)219), zero = _mm_setzero_si128();
    const __m128i mul = _mm_set1_epi16(10771);
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_min_epu8(_mm_subs_epu8(_mm_loadu_si128((const __m128i *)(s + i)), k16), k219);
        __m128i lo = _mm_unpacklo_epi8(v, zero), hi = _mm_unpackhi_epi8(v, zero);
        /* (v · 10771 + 32768) >> 16 = high half of v · 10771, plus the carry of adding 32768 to the low half. */
        __m128i rl = _mm_add_epi16(_mm_add_epi16(lo, _mm_mulhi_epu16(lo, mul)), _mm_srli_epi16(_mm_mullo_epi16(lo, mul), 15));
        __m128i rh = _mm_add_epi16(_mm_add_epi16(hi, _mm_mulhi_epu16(hi, mul)), _mm_srli_epi16(_mm_mullo_epi16(hi, mul), 15));
        _mm_storeu_si128((__m128i *)(d + i), _mm_packus_epi16(rl, rh));
    }
    for (; i < n; i++) d[i] = rf_range_reference(s[i], 0);
}

static void expand_chroma_row(const uint8_t *s, uint8_t *d, int n) {
    const __m128i k128 = _mm_set1_epi8((char)128), zero = _mm_setzero_si128();
    const __m128i mul = _mm_set1_epi16(71), add = _mm_set1_epi16(247), c128 = _mm_set1_epi16(128);
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i below = _mm_subs_epu8(k128, x);                            /* 128 − c where c < 128, else 0 */
        __m128i a = _mm_or_si128(_mm_subs_epu8(x, k128), below);            /* |c − 128| */
        __m128i negative = _mm_cmpeq_epi8(_mm_cmpeq_epi8(below, zero), zero);
        __m128i out[2];
        for (int half = 0; half < 2; half++) {
            __m128i a16 = half ? _mm_unpackhi_epi8(a, zero) : _mm_unpacklo_epi8(a, zero);
            __m128i m16 = half ? _mm_unpackhi_epi8(negative, negative) : _mm_unpacklo_epi8(negative, negative);
            __m128i r = _mm_add_epi16(a16, _mm_srli_epi16(_mm_add_epi16(_mm_mullo_epi16(a16, mul), add), 9));
            out[half] = _mm_or_si128(_mm_and_si128(m16, _mm_sub_epi16(c128, r)), _mm_andnot_si128(m16, _mm_add_epi16(c128, r)));
        }
        _mm_storeu_si128((__m128i *)(d + i), _mm_packus_epi16(out[0], out[1]));  /* clamps to 0…255 */
    }
    for (; i < n; i++) d[i] = rf_range_reference(s[i], 1);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define RF_HAVE_AVX2_PATH 1
/* The SSE2 loops' arithmetic, 32 bytes at a time. unpack and pack work within each 128-bit lane, so unpacking the
   low and high halves and packing them back keeps the bytes in order, as in the SSE2 loops. */
__attribute__((target("avx2"))) static void expand_luma_row_avx2(const uint8_t *s, uint8_t *d, int n) {
    const __m256i k16 = _mm256_set1_epi8(16), k219 = _mm256_set1_epi8((char)219), zero = _mm256_setzero_si256();
    const __m256i mul = _mm256_set1_epi16(10771);
    int i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i v = _mm256_min_epu8(_mm256_subs_epu8(_mm256_loadu_si256((const __m256i *)(s + i)), k16), k219);
        __m256i lo = _mm256_unpacklo_epi8(v, zero), hi = _mm256_unpackhi_epi8(v, zero);
        __m256i rl = _mm256_add_epi16(_mm256_add_epi16(lo, _mm256_mulhi_epu16(lo, mul)), _mm256_srli_epi16(_mm256_mullo_epi16(lo, mul), 15));
        __m256i rh = _mm256_add_epi16(_mm256_add_epi16(hi, _mm256_mulhi_epu16(hi, mul)), _mm256_srli_epi16(_mm256_mullo_epi16(hi, mul), 15));
        _mm256_storeu_si256((__m256i *)(d + i), _mm256_packus_epi16(rl, rh));
    }
    expand_luma_row(s + i, d + i, n - i);
}

__attribute__((target("avx2"))) static void expand_chroma_row_avx2(const uint8_t *s, uint8_t *d, int n) {
    const __m256i k128 = _mm256_set1_epi8((char)128), zero = _mm256_setzero_si256();
    const __m256i mul = _mm256_set1_epi16(71), add = _mm256_set1_epi16(247), c128 = _mm256_set1_epi16(128);
    int i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(s + i));
        __m256i below = _mm256_subs_epu8(k128, x);
        __m256i a = _mm256_or_si256(_mm256_subs_epu8(x, k128), below);
        __m256i negative = _mm256_cmpeq_epi8(_mm256_cmpeq_epi8(below, zero), zero);
        __m256i out[2];
        for (int half = 0; half < 2; half++) {
            __m256i a16 = half ? _mm256_unpackhi_epi8(a, zero) : _mm256_unpacklo_epi8(a, zero);
            __m256i m16 = half ? _mm256_unpackhi_epi8(negative, negative) : _mm256_unpacklo_epi8(negative, negative);
            __m256i r = _mm256_add_epi16(a16, _mm256_srli_epi16(_mm256_add_epi16(_mm256_mullo_epi16(a16, mul), add), 9));
            out[half] = _mm256_or_si256(_mm256_and_si256(m16, _mm256_sub_epi16(c128, r)), _mm256_andnot_si256(m16, _mm256_add_epi16(c128, r)));
        }
        _mm256_storeu_si256((__m256i *)(d + i), _mm256_packus_epi16(out[0], out[1]));
    }
    expand_chroma_row(s + i, d + i, n - i);
}
#endif
#else
static uint8_t luma_table[256];
static uint8_t chroma_table[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void) {
    for (int i = 0; i < 256; i++) {
        luma_table[i] = rf_range_reference((uint8_t)i, 0);
        chroma_table[i] = rf_range_reference((uint8_t)i, 1);
    }
}

static void expand_luma_row(const uint8_t *s, uint8_t *d, int n) {
    pthread_once(&tables_once, build_tables);
    for (int x = 0; x < n; x++) d[x] = luma_table[s[x]];
}

static void expand_chroma_row(const uint8_t *s, uint8_t *d, int n) {
    pthread_once(&tables_once, build_tables);
    for (int x = 0; x < n; x++) d[x] = chroma_table[s[x]];
}
#endif

/* 0: the SSE2 loops (or the tables without SSE2); 1: the AVX2 loops where the CPU has AVX2. */
void rf_expand_row(const uint8_t *src, uint8_t *dst, int width, int chroma, int kernel) {
#if defined(RF_HAVE_AVX2_PATH)
    if (kernel == 1) {
        if (chroma) expand_chroma_row_avx2(src, dst, width); else expand_luma_row_avx2(src, dst, width);
        return;
    }
#endif
    (void)kernel;
    if (chroma) expand_chroma_row(src, dst, width); else expand_luma_row(src, dst, width);
}

int rf_range_kernels(void) {
#if defined(RF_HAVE_AVX2_PATH)
    if (__builtin_cpu_supports("avx2")) return 2;
#endif
    return 1;
}

void rf_expand_plane_range_kernel(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst, ptrdiff_t dst_stride,
                                  int width, int height, int chroma, int kernel) {
    const int kernels = rf_range_kernels();
    if (kernel < 0 || kernel >= kernels) kernel = kernels - 1;
    for (int y = 0; y < height; y++)
        rf_expand_row(src + (ptrdiff_t)y * src_stride, dst + (ptrdiff_t)y * dst_stride, width, chroma, kernel);
}

void rf_expand_plane_range(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst, ptrdiff_t dst_stride,
                           int width, int height, int chroma) {
    rf_expand_plane_range_kernel(src, src_stride, dst, dst_stride, width, height, chroma, rf_range_kernels() - 1);
}
