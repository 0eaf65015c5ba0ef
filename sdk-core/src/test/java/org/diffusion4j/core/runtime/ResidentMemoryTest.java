package org.diffusion4j.core.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ResidentMemoryTest {

    @Test
    void thePeakCoversAFreshlyTouchedBufferAndResetsBelowIt() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "needs Linux procfs");
        long before = ResidentMemory.currentBytes().orElseThrow();
        assertTrue(before > 0, "resident size " + before);
        int size = 192 << 20;
        ByteBuffer buffer = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i += 4096) {
            buffer.put(i, (byte) 1); // touch every page so it becomes resident
        }
        long peak = ResidentMemory.peakBytes().orElseThrow();
        assertTrue(peak >= before + size * 9L / 10, "peak " + peak + " after touching " + size + " bytes on " + before);
        buffer = null;
        // freeing a direct buffer needs a GC and its cleaner; without the reset the peak stays where it was
        for (int i = 0; i < 5 && ResidentMemory.currentBytes().orElseThrow() > peak - size / 2; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assumeTrue(ResidentMemory.currentBytes().orElseThrow() < peak - size / 2, "the JVM kept the buffer resident");
        assumeTrue(ResidentMemory.resetPeak(), "clear_refs not writable here");
        long reset = ResidentMemory.peakBytes().orElseThrow();
        assertTrue(reset < peak - size / 2, "peak after reset " + reset + ", before " + peak);
    }
}
