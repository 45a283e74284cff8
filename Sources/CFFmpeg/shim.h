// FFmpeg 5.1 (Debian 12) for Swift: the library headers plus inline wrappers for what Swift cannot import
// (function-like macros such as AVERROR(e), AVERROR_EOF, av_err2str).
#ifndef RF_CFFMPEG_SHIM_H
#define RF_CFFMPEG_SHIM_H

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavdevice/version.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>

/// AVERROR(EAGAIN): "no output yet, send more input".
static inline int rf_averror_eagain(void) { return AVERROR(EAGAIN); }
/// AVERROR_EOF: end of stream.
static inline int rf_averror_eof(void) { return AVERROR_EOF; }
/// AVERROR_EXIT: an interrupt callback stopped a blocking call.
static inline int rf_averror_exit(void) { return AVERROR_EXIT; }
/// AVERROR_INVALIDDATA.
static inline int rf_averror_invaliddata(void) { return AVERROR_INVALIDDATA; }
/// AVERROR_DECODER_NOT_FOUND.
static inline int rf_averror_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
/// AV_NOPTS_VALUE (a 64-bit constant Swift imports with the wrong sign).
static inline int64_t rf_av_nopts_value(void) { return AV_NOPTS_VALUE; }
/// AV_TIME_BASE as an int.
static inline int rf_av_time_base(void) { return AV_TIME_BASE; }

/// av_err2str into a caller's buffer (the macro uses a compound literal).
static inline const char *rf_av_err2str(int code, char *buffer, size_t size) {
    if (av_strerror(code, buffer, size) < 0) {
        snprintf(buffer, size, "error %d", code);
    }
    return buffer;
}

/// Loads libavdevice (V4L2 cameras) and registers its devices. It is not linked: its ~80 extra shared libraries
/// (SDL, X11, PulseAudio, …) would cost every process start; only a `/dev/video*` source pays for them.
/// 0 on success, -1 when the library cannot be loaded.
static inline int rf_avdevice_register_all_dynamic(void) {
#if defined(__APPLE__)
    const char *name = "libavdevice." AV_STRINGIFY(LIBAVDEVICE_VERSION_MAJOR) ".dylib";
#else
    const char *name = "libavdevice.so." AV_STRINGIFY(LIBAVDEVICE_VERSION_MAJOR);
#endif
    void *handle = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
    if (!handle) handle = dlopen("libavdevice.so", RTLD_NOW | RTLD_GLOBAL);
    if (!handle) return -1;
    void (*register_all)(void) = (void (*)(void))dlsym(handle, "avdevice_register_all");
    if (!register_all) return -1;
    register_all();
    return 0;
}

#endif
