package org.diffusion4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.junit.jupiter.api.Test;

class GlibcMallocTest {

    @Test
    void afterTuningBlocksAboveGlibcsLargestDefaultThresholdComeFromTheHeapNotFromMmap() {
        assumeTrue(Platform.isLinux() && GlibcMalloc.mmappedBlocks() >= 0, "needs glibc >= 2.33");
        SettingOutcome outcome = GlibcMalloc.tuneForTensors();
        assertTrue(outcome.applied(), outcome.toString());
        // glibc's default threshold never exceeds 32 MB, so without the setting a 48 MB block is always mmapped.
        // (Above 64 MB, the heap size of a secondary arena, a thread other than the process's first gets mmap
        // whatever the threshold: a limit of glibc, documented on GlibcMalloc.)
        // The count is process-wide: another thread may free an mmapped block meanwhile (a direct buffer's cleaner,
        // a DJL array collected by the GC), so an attempt passes when the count did not grow, and one of three
        // attempts must pass; an mmapped block of ours makes every attempt grow it.
        for (long size : new long[] {1L << 20, 16L << 20, 48L << 20}) {
            long[] growth = new long[3];
            boolean heap = false;
            for (int attempt = 0; attempt < growth.length && !heap; attempt++) {
                long before = GlibcMalloc.mmappedBlocks();
                long p = Native.malloc(size);
                assertTrue(p != 0, "malloc(" + size + ") failed");
                try {
                    growth[attempt] = GlibcMalloc.mmappedBlocks() - before;
                    heap = growth[attempt] <= 0;
                } finally {
                    Native.free(p);
                }
            }
            assertTrue(heap, size + " B block must not be mmapped; mmapped-block count grew by "
                    + java.util.Arrays.toString(growth));
        }
    }

    @Test
    void anUnknownModeIsRefusedNamingTheArgument() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> GlibcMalloc.applyMode("jemalloc"));
        assertEquals("malloc: expected tuned or default, got jemalloc", e.getMessage());
        assertEquals("malloc: glibc defaults", GlibcMalloc.applyMode("default"));
    }
}
