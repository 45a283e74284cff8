/* Thread names and the SCHED_IDLE policy: GNU and Linux calls Swift's Glibc module does not import. */
#define _GNU_SOURCE
#include "video_kernels.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

void rf_set_thread_name(const char *name) {
    char shortened[16];
    size_t i = 0;
    for (; name[i] != 0 && i < sizeof shortened - 1; i++) shortened[i] = name[i];
    shortened[i] = 0;
    (void)pthread_setname_np(pthread_self(), shortened);
}

int rf_sched_idle(int tid) {
#if defined(SCHED_IDLE)
    struct sched_param param = {0};
    return sched_setscheduler(tid, SCHED_IDLE, &param) == 0 ? 0 : errno;
#else
    (void)tid;
    return ENOSYS;
#endif
}

int rf_sched_is_idle(int tid) {
#if defined(SCHED_IDLE)
    return sched_getscheduler(tid) == SCHED_IDLE;
#else
    (void)tid;
    return 0;
#endif
}

int rf_sched_normal(int tid) {
    struct sched_param param = {0};
    return sched_setscheduler(tid, SCHED_OTHER, &param) == 0 ? 0 : errno;
}

int rf_gettid(void) { return (int)syscall(SYS_gettid); }
