package org.diffusion4j.audio.vocode;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a vocoder comes from: a model directory (as training exports it or {@code audio import} writes it), or one of
 * the models shipped in sdk-audio's jar, so that a Maven dependency on sdk-audio is enough to vocode. Exactly one of
 * {@code dir} and {@code shippedName} is set.
 *
 * @param dir         a model directory ({@code wavegrad.properties}, {@code wavegrad.safetensors}, optional
 *                    {@code schedule-<steps>.txt}), or null
 * @param shippedName {@link #SMALL} or {@link #WIDE}, or null
 */
public record VocoderSource(Path dir, String shippedName) {

    /** The default vocoder: the small network (MODEL.md beside its files in {@code sdk-audio/models/}). */
    public static final String SMALL = "wavegrad-small";
    /** The wide network shipped beside it, the project's best with 50 steps when it was shipped. */
    public static final String WIDE = "wavegrad-wide";
    /** Every shipped model's name. */
    public static final List<String> SHIPPED = List.of(SMALL, WIDE);

    /** The classpath folder of the shipped models, each in a sub-folder named as the model. */
    static final String RESOURCE_ROOT = "/org/diffusion4j/audio/models/";

    public VocoderSource {
        if ((dir == null) == (shippedName == null)) {
            throw new IllegalArgumentException("source: expected either a directory or a shipped model name, got "
                    + (dir == null ? "neither" : "both (" + dir + ", " + shippedName + ")"));
        }
        if (shippedName != null && !SHIPPED.contains(shippedName)) {
            throw new IllegalArgumentException("shippedName: expected one of " + SHIPPED + ", got '" + shippedName + "'");
        }
    }

    public static VocoderSource directory(Path dir) {
        return new VocoderSource(Objects.requireNonNull(dir, "dir"), null);
    }

    public static VocoderSource shipped(String name) {
        return new VocoderSource(null, Objects.requireNonNull(name, "name"));
    }

    /** The default shipped vocoder, {@link #SMALL}. */
    public static VocoderSource shipped() {
        return shipped(SMALL);
    }

    /**
     * A command-line value: {@code small} / {@code wide} (or their full names) for a shipped model, anything else a
     * model directory (write {@code ./small} for a directory of that name).
     */
    public static VocoderSource parse(String value) {
        Objects.requireNonNull(value, "value");
        return switch (value) {
            case "small", SMALL -> shipped(SMALL);
            case "wide", WIDE -> shipped(WIDE);
            default -> directory(Path.of(value));
        };
    }

    public boolean isShipped() {
        return shippedName != null;
    }

    /** The classpath folder of a shipped model, ending in '/'. */
    String resourceFolder() {
        return RESOURCE_ROOT + shippedName + "/";
    }

    /** The directory, or {@code classpath:<folder>} for a shipped model. */
    @Override
    public String toString() {
        return isShipped() ? "classpath:" + resourceFolder() : dir.toString();
    }
}
