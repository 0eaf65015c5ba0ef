package org.diffusion4j.core.memory;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Direct buffers that are freed when the caller is done with them, not when a garbage collection finds them.
 *
 * <p>Why: a direct {@code ByteBuffer} holds native memory that the JVM releases only when the buffer object is
 * collected. A sampling loop or a training step that stages Java data for libtorch through a fresh direct buffer
 * each step (as DJL's {@code NDManager.create(float[])} does) makes little heap garbage, so collections are rare, and
 * the staged copies pile up outside the heap: 180 MB over a 1,000-step vocoder sample of a 2.5 s clip, with
 * every tensor freed (docs/benchmarks.md, "Native memory across vocoder steps"). {@link #free} releases a buffer at
 * once through the JDK's own cleaner ({@code sun.misc.Unsafe.invokeCleaner}, module jdk.unsupported); where that is
 * not available the buffer is left to the collector, as before.
 */
public final class DirectBuffers {

    /** {@code Unsafe.invokeCleaner(ByteBuffer)} bound to the Unsafe instance, or null where the JDK lacks it. */
    private static final MethodHandle INVOKE_CLEANER = findInvokeCleaner();

    private DirectBuffers() {
    }

    /** A direct buffer of {@code bytes} bytes in the platform's byte order, position 0, limit {@code bytes}. */
    public static ByteBuffer allocate(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes: expected >= 0, got " + bytes);
        }
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    /** Whether {@link #free} releases memory at once on this JVM (else it leaves the buffer to the collector). */
    public static boolean freesImmediately() {
        return INVOKE_CLEANER != null;
    }

    /**
     * Releases a direct buffer's native memory now. The buffer, and every view or slice of it, must not be used
     * afterwards (reading it would read freed memory): call this only when nothing, Java or native, refers to it.
     */
    public static void free(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("buffer: expected a direct buffer, got a heap buffer");
        }
        if (INVOKE_CLEANER == null) {
            return;
        }
        try {
            INVOKE_CLEANER.invokeExact(buffer);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("invokeCleaner failed", e);
        }
    }

    private static MethodHandle findInvokeCleaner() {
        try {
            Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
            Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
            theUnsafe.setAccessible(true);
            MethodHandle cleaner = MethodHandles.lookup().findVirtual(unsafeClass, "invokeCleaner",
                    MethodType.methodType(void.class, ByteBuffer.class));
            return cleaner.bindTo(theUnsafe.get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
