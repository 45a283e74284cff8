#include "video_kernels.h"
#include <pthread.h>

static uint8_t luma_table[256];
static uint8_t chroma_table[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static uint8_t clamp_u8(int v) { return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v); }

static void build_tables(void) {
    for (int i = 0; i < 256; i++) {
        luma_table[i] = clamp_u8((int)(((i - 16) * 255 + 109) / 219 - ((i - 16) < 0 ? 1 : 0)));
        chroma_table[i] = clamp_u8(128 + (((i - 128) * 255) + ((i - 128) >= 0 ? 112 : -112)) / 224);
    }
}

void rf_expand_plane_range(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst, ptrdiff_t dst_stride,
                           int width, int height, int chroma) {
    pthread_once(&tables_once, build_tables);
    const uint8_t *table = chroma ? chroma_table : luma_table;
    for (int y = 0; y < height; y++) {
        const uint8_t *s = src + (ptrdiff_t)y * src_stride;
        uint8_t *d = dst + (ptrdiff_t)y * dst_stride;
        for (int x = 0; x < width; x++) d[x] = table[s[x]];
    }
}
