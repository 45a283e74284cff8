#ifndef RF_RANGE_ROWS_H
#define RF_RANGE_ROWS_H

#include <stdint.h>

/* One row of `rf_expand_plane_range` (limited → full range) through implementation `kernel`
   (0 ..< rf_range_kernels(), chosen by the caller once): what the JPEG encoder expands strip by strip. */
void rf_expand_row(const uint8_t *src, uint8_t *dst, int width, int chroma, int kernel);

#endif
