/*
 * LD_PRELOAD shim that fills every block libtorch's CPU allocator gets (posix_memalign) with a byte pattern, so
 * that reading memory nobody wrote gives the same wrong value every time instead of whatever a freed tensor left.
 * POISON_FLOAT (default NaN) picks the float written to each 4-byte word. Diagnostic only: see
 * tools/poison-allocator/run.sh and docs/architecture.md, "Known upstream problems".
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static int (*real_posix_memalign)(void **, size_t, size_t);
static float pattern;
static int pattern_ready;

static void init_pattern(void) {
    const char *s = getenv("POISON_FLOAT");
    pattern = s ? strtof(s, NULL) : __builtin_nanf("");
    pattern_ready = 1;
}

int posix_memalign(void **memptr, size_t alignment, size_t size) {
    if (!real_posix_memalign) {
        real_posix_memalign = (int (*)(void **, size_t, size_t))dlsym(RTLD_NEXT, "posix_memalign");
    }
    int r = real_posix_memalign(memptr, alignment, size);
    if (r == 0 && *memptr) {
        if (!pattern_ready) {
            init_pattern();
        }
        float *f = (float *)*memptr;
        for (size_t i = 0; i < size / sizeof(float); i++) {
            f[i] = pattern;
        }
    }
    return r;
}
