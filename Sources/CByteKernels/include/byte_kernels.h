// Hot byte loops of the request path, vectorised with AVX2 where the CPU has it (checked once at run time),
// portable C otherwise. Swift calls them through the CByteKernels module.
#ifndef RF_BYTE_KERNELS_H
#define RF_BYTE_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Writes the standard base64 text (RFC 4648 §4, with '=' padding) of `src[0..<count]` to `dst`, which must
/// have room for ((count + 2) / 3) * 4 bytes. Returns the number of bytes written.
size_t rf_base64_encode(const uint8_t *src, size_t count, uint8_t *dst);

/// Decodes the longest prefix of `src[0..<count]` made of whole 4-character groups of the standard base64
/// alphabet only (no padding, whitespace or URL-safe characters) into `dst`, which must have room for
/// count / 4 * 3 bytes. Sets `*consumed` to the characters decoded (a multiple of 4) and returns the bytes
/// written. The caller decodes the rest (padding, whitespace, errors) itself.
size_t rf_base64_decode_prefix(const uint8_t *src, size_t count, uint8_t *dst, size_t *consumed);

/// In JPEG entropy-coded data starting at `start`, the offset of the 0xFF that begins the first real marker:
/// an 0xFF followed by a byte other than 0x00 (stuffing), 0xD0...0xD7 (RSTn) or 0xFF (fill).
/// Returns -1 when the data ends first (including an 0xFF as the very last byte).
ptrdiff_t rf_jpeg_entropy_end(const uint8_t *bytes, size_t start, size_t count);

/// The offset of the first byte at or after `start` that ends the plain part of a JSON string: a quote, a
/// backslash or a control character (< 0x20). Returns `count` when there is none.
size_t rf_json_string_scan(const uint8_t *bytes, size_t start, size_t count);

#ifdef __cplusplus
}
#endif

#endif
