package org.diffusion4j.core.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Structure;
import java.util.Locale;

/**
 * Tunes glibc's malloc for tensor workloads, in the running process, through {@code mallopt(3)}.
 *
 * <p>Why: libtorch's CPU allocator is plain {@code malloc}/{@code free}. A diffusion network allocates and frees
 * activations of a few hundred kB to tens of MB per layer, every step. With glibc's defaults, blocks above the
 * mmap threshold (128 kB, raised dynamically up to 32 MB only when such a block is freed) are {@code mmap}ed and
 * {@code munmap}ed one by one, and free memory at the top of the heap above the trim threshold is handed back to
 * the kernel at once; each new block then costs a page fault per 4 kB page, and the kernel zeroes every page. On
 * the project's 2-core machine this made a batch-64 U-Net forward 3× slower than with the settings below, with a
 * third of the CPU time spent in the kernel (docs/benchmarks.md, "Why DJL was slower: malloc"). PyTorch users hit
 * the same wall and answer it with jemalloc or tcmalloc through {@code LD_PRELOAD}; this class gets most of the gain
 * without a preload by raising both thresholds and the top pad, so freed tensor memory is kept by the process and
 * reused.
 *
 * <p>A limit: a thread other than the process's first (every JVM thread) allocates from a secondary arena whose
 * heaps are at most 64 MB, and glibc serves a larger block with {@code mmap} whatever the threshold; tensors of
 * that size still pay the page faults (batch-64 attention maps at 28×28, for instance).
 *
 * <p>The price: memory freed by tensors is not returned to the operating system, so the resident size stays at
 * the peak of the run. The settings are process-wide and apply to allocations made after the call; calling this
 * is an explicit choice of the application (the SDK never calls it by itself). The equivalent without code is to
 * start the JVM with {@code MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=2147483647
 * MALLOC_TOP_PAD_=67108864} in its environment. Measured on the project's machine: batch-64 forward of the
 * issue's small U-Net 772 → 192 ms, production 3,154 → 762 ms (2 threads; docs/benchmarks.md).
 */
public final class GlibcMalloc {

    /** mallopt parameter numbers from glibc's malloc.h. */
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    /** Blocks below this are served from the heap (glibc accepts any value up to INT_MAX here). */
    public static final int TENSOR_MMAP_THRESHOLD = 1 << 30;
    /** Free heap memory above this is given back to the kernel (INT_MAX: in practice never). */
    public static final int TENSOR_TRIM_THRESHOLD = Integer.MAX_VALUE;
    /**
     * Extra memory requested whenever a heap grows. Its real use here: glibc deletes an emptied heap of a
     * secondary arena (the arenas of every thread but the process's first, such as the JVM's main thread) unless
     * the heap would keep at least this much; 64 MB, the size of such a heap, keeps them all.
     */
    public static final int TENSOR_TOP_PAD = 64 << 20;

    private GlibcMalloc() {
    }


    /**
     * Sets the mmap threshold to {@link #TENSOR_MMAP_THRESHOLD}, the trim threshold to
     * {@link #TENSOR_TRIM_THRESHOLD} and the top pad to {@link #TENSOR_TOP_PAD}. On a platform without glibc's
     * {@code mallopt} (macOS, Windows, musl) it changes nothing and says why; it never throws for that.
     */
    public static SettingOutcome tuneForTensors() {
        LibC libc = load();
        if (libc == null) {
            return notGlibc();
        }
        int mmap;
        int trim;
        int pad;
        try {
            mmap = libc.mallopt(M_MMAP_THRESHOLD, TENSOR_MMAP_THRESHOLD);
            trim = libc.mallopt(M_TRIM_THRESHOLD, TENSOR_TRIM_THRESHOLD);
            pad = libc.mallopt(M_TOP_PAD, TENSOR_TOP_PAD);
        } catch (UnsatisfiedLinkError e) {
            return notGlibc(); // musl has a libc but no mallopt
        }
        if (mmap != 1 || trim != 1 || pad != 1) {
            return new SettingOutcome(false, String.format(Locale.ROOT, "mallopt refused: M_MMAP_THRESHOLD=%d -> %d, "
                    + "M_TRIM_THRESHOLD=%d -> %d, M_TOP_PAD=%d -> %d (1 = accepted)", TENSOR_MMAP_THRESHOLD, mmap,
                    TENSOR_TRIM_THRESHOLD, trim, TENSOR_TOP_PAD, pad));
        }
        return new SettingOutcome(true, String.format(Locale.ROOT, "glibc mmap threshold %d B, trim threshold %d B, "
                + "top pad %d B", TENSOR_MMAP_THRESHOLD, TENSOR_TRIM_THRESHOLD, TENSOR_TOP_PAD));
    }

    /**
     * For benchmarks and tools that compare both allocator settings: {@code "tuned"} applies
     * {@link #tuneForTensors()}, {@code "default"} leaves glibc as it is. Returns a line saying which.
     *
     * @throws IllegalArgumentException for any other mode, naming the argument
     */
    public static String applyMode(String mode) {
        return switch (String.valueOf(mode)) {
            case "tuned" -> "malloc " + tuneForTensors();
            case "default" -> "malloc: glibc defaults";
            default -> throw new IllegalArgumentException("malloc: expected tuned or default, got " + mode);
        };
    }

    private static SettingOutcome notGlibc() {
        return new SettingOutcome(false, "no glibc mallopt on " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch"));
    }

    /**
     * The number of blocks glibc currently holds through {@code mmap} ({@code mallinfo2().hblks}), or -1 where
     * glibc's {@code mallinfo2} is missing (not glibc, or glibc older than 2.33).
     */
    public static long mmappedBlocks() {
        LibC libc = load();
        if (libc == null) {
            return -1;
        }
        try {
            return libc.mallinfo2().hblks;
        } catch (UnsatisfiedLinkError e) {
            return -1;
        }
    }

    private static LibC load() {
        if (!Platform.isLinux()) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** The two glibc entry points used; JNA binds them by name. */
    interface LibC extends Library {
        int mallopt(int param, int value);

        MallInfo2 mallinfo2();
    }

    /**
     * glibc's {@code struct mallinfo2} (ten {@code size_t} fields, glibc ≥ 2.33), returned by value. Public only
     * because JNA instantiates it reflectively; use {@link #mmappedBlocks()}.
     */
    @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost"})
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }
}
