#ifndef RF_JPEG_PLANES_H
#define RF_JPEG_PLANES_H

#include <stddef.h>
#include <stdint.h>

/// A JPEG encoder for decoded video pictures: libjpeg-turbo's raw-data interface fed one MCU row at a time, so a
/// limited-range picture is expanded to JPEG's full range into a strip of a few rows (cache-resident) instead of a
/// copy of the whole picture, and no padding copy of the picture is made either (tjCompressFromYUVPlanes copies every
/// row when a plane's height is not a whole number of blocks, as 1080p's chroma is). The same settings as
/// tjCompressFromYUVPlanes (baseline, JFIF, `jpeg_set_quality`, the fast integer DCT below quality 96): for pictures
/// of even width and height the same bytes. Not thread-safe: one encoder per thread; buffers are reused.
typedef struct rf_jpeg_encoder rf_jpeg_encoder;

/// A new encoder, or NULL when out of memory.
rf_jpeg_encoder *rf_jpeg_encoder_create(void);

/// Frees the encoder and its buffers (NULL is ignored).
void rf_jpeg_encoder_destroy(rf_jpeg_encoder *encoder);

/// Encodes three planes (Y, Cb, Cr) of a `width` × `height` picture whose chroma planes are subsampled by
/// `h_factor` × `v_factor` (1 or 2 each: 4:4:4 = 1×1, 4:2:2 = 2×1, 4:2:0 = 2×2) at `quality` 1…100. A plane is read
/// only inside its own size (chroma: width / h_factor, height / v_factor, rounded up); the blocks past its edges
/// repeat its last column and row. `expand_range` 1: the planes are limited range (luma 16…235, chroma 16…240) and
/// are expanded to full range as `rf_expand_plane_range` does. Returns 0 and sets `*jpeg` / `*size` to the encoder's
/// own buffer (valid until the next call or destroy), or -1 with the reason in `rf_jpeg_encoder_error`.
int rf_jpeg_encode_planes(rf_jpeg_encoder *encoder, const uint8_t *const planes[3], const ptrdiff_t strides[3],
                          int width, int height, int h_factor, int v_factor, int quality, int expand_range,
                          const uint8_t **jpeg, size_t *size);

/// Why the last `rf_jpeg_encode_planes` failed.
const char *rf_jpeg_encoder_error(const rf_jpeg_encoder *encoder);

#endif
