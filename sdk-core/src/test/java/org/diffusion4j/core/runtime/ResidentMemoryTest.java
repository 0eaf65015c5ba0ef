package org.diffusion4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ResidentMemoryTest {

    /** mmap/munmap straight from libc: fresh pages that neither malloc's caches nor the GC's timing can blur. */
    interface LibC extends Library {
        Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

        int munmap(Pointer addr, long length);
    }

    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;

    @Test
    void thePeakCoversFreshlyTouchedPagesAndResetsBelowThemOnceUnmapped() {
        assumeTrue(Platform.isLinux() && Files.isReadable(Path.of("/proc/self/status")), "needs Linux procfs");
        LibC libc = Native.load("c", LibC.class);
        long size = 192L << 20;
        long before = ResidentMemory.currentBytes().orElseThrow();
        assertTrue(before > 0, "resident size " + before);
        Pointer block = libc.mmap(null, size, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0);
        assertTrue(Pointer.nativeValue(block) != -1L, "mmap failed");
        long peak;
        try {
            for (long i = 0; i < size; i += 4096) {
                block.setByte(i, (byte) 1); // touch every page so it becomes resident
            }
            peak = ResidentMemory.peakBytes().orElseThrow();
            assertTrue(peak >= before + size * 9 / 10, "peak " + peak + " after touching " + size + " bytes on " + before);
        } finally {
            libc.munmap(block, size);
        }
        assertTrue(ResidentMemory.currentBytes().orElseThrow() < peak - size / 2, "resident size after munmap");
        assumeTrue(ResidentMemory.resetPeak(), "clear_refs not writable here");
        long reset = ResidentMemory.peakBytes().orElseThrow();
        assertTrue(reset < peak - size / 2, "peak after reset " + reset + ", before " + peak);
    }
}
