package org.diffusion4j.core.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's resident memory as Linux reports it ({@code /proc/self/status}: VmRSS now, VmHWM the peak), for
 * benchmarks that report peak memory. Native tensors are invisible to the JVM's own counters, so the resident set is
 * the figure that includes libtorch's allocations. The peak can be reset ({@code /proc/self/clear_refs}, Linux 4.0+)
 * to measure one phase of a run. Elsewhere every method reports "unavailable" instead of failing.
 */
public final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ResidentMemory() {
    }

    /** Resident set size in bytes, if the platform reports it. */
    public static OptionalLong currentBytes() {
        return field("VmRSS:");
    }

    /** Peak resident set size in bytes since the process started or {@link #resetPeak()}, if reported. */
    public static OptionalLong peakBytes() {
        return field("VmHWM:");
    }

    /** Resets the peak to the current resident size; false where the platform does not allow it. */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static OptionalLong field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith(name)) {
                    // "VmHWM:	  123456 kB"
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    long kib = Long.parseLong(parts[0]);
                    return OptionalLong.of(kib * 1024);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalLong.empty();
        }
    }
}
