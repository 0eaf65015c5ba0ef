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
        for (long size : new long[] {1L << 20, 16L << 20, 48L << 20}) {
            long before = GlibcMalloc.mmappedBlocks();
            long p = Native.malloc(size);
            assertTrue(p != 0, "malloc(" + size + ") failed");
            try {
                assertEquals(before, GlibcMalloc.mmappedBlocks(), size + " B block must not be mmapped");
            } finally {
                Native.free(p);
            }
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
