package org.diffusion4j.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;

/**
 * Writes a file so that readers see either the old or the complete new content, never a half-written one: the
 * content goes to a temporary file in the same directory (so the rename cannot cross file systems), which is then
 * renamed over the target atomically. If writing fails, the target is untouched and the temporary file is removed.
 *
 * <p>Every file the SDK writes (checkpoints, weights, vocabularies, schedules, WAV and PNG outputs) goes through
 * here. The temporary file gets rw-r--r-- where POSIX permissions exist, because {@code createTempFile} makes it
 * owner-only and saved models must stay readable by others.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** The content of a file, written to a (buffered) stream that the caller must not close. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code content} to {@code file} atomically, creating missing parent directories. */
    public static void write(Path file, Content content) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(content, "content");
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the platform default
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                content.writeTo(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("file: the file system of " + dir + " cannot rename atomically", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes {@code bytes} to {@code file} atomically. */
    public static void writeBytes(Path file, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(file, out -> out.write(bytes));
    }

    /** Writes {@code text} as UTF-8 to {@code file} atomically. */
    public static void writeString(Path file, String text) throws IOException {
        Objects.requireNonNull(text, "text");
        writeBytes(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
