#ifndef RF_VIDEO_KERNELS_H
#define RF_VIDEO_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Expands one plane from limited ("TV", MPEG) range to full ("PC", JPEG) range, 32 bytes at a time with AVX2, 16 with SSE2
/// (through lookup tables without it): luma 16...235 → 0...255 (`chroma` 0), chroma 16...240 → 0...255 around
/// 128 (`chroma` 1), rounded to nearest; the same bytes either way.
void rf_expand_plane_range(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst, ptrdiff_t dst_stride,
                           int width, int height, int chroma);

/// How many implementations of the range expansion this CPU can run: 1 (SSE2, or tables without it) or 2 (also
/// AVX2, 32 bytes at a time). `rf_expand_plane_range` and the JPEG encoder use the last.
int rf_range_kernels(void);

/// `rf_expand_plane_range` through implementation `kernel` (0 ..< `rf_range_kernels()`), so that tests check each.
void rf_expand_plane_range_kernel(const uint8_t *src, ptrdiff_t src_stride, uint8_t *dst, ptrdiff_t dst_stride,
                                  int width, int height, int chroma, int kernel);

/// One byte through the same mapping, computed directly (the reference the fast paths are tested against).
uint8_t rf_range_reference(uint8_t value, int chroma);

/// Names the calling thread (the first 15 bytes of `name`), as `top -H`, `perf` and /proc show it.
void rf_set_thread_name(const char *name);

/// Moves thread `tid` (0: the calling one) to SCHED_IDLE: it runs only on CPU no ordinary thread wants. 0, or errno.
int rf_sched_idle(int tid);

/// 1 when thread `tid` (0: the calling one) runs under SCHED_IDLE, else 0.
int rf_sched_is_idle(int tid);

/// Moves thread `tid` (0: the calling one) back to SCHED_OTHER, the default policy. 0, or errno (EPERM out of
/// SCHED_IDLE without CAP_SYS_NICE or a RLIMIT_NICE that allows it).
int rf_sched_normal(int tid);

/// The calling thread's kernel thread ID (as in /proc/self/task).
int rf_gettid(void);

#endif
