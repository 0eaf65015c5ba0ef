package org.diffusion4j.image.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * An in-memory image set: {@code count} images of {@code channels × height × width} unsigned bytes
 * (0..255, CHW, row 0 at the top) and optional integer labels. Immutable.
 */
public final class LabeledImages {

    private final int count;
    private final int channels;
    private final int height;
    private final int width;
    private final byte[] pixels;
    private final int[] labels;

    public LabeledImages(int count, int channels, int height, int width, byte[] pixels, int[] labels) {
        if (count < 0 || channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("count/channels/height/width: expected >= 0/> 0/> 0/> 0, got "
                    + count + "/" + channels + "/" + height + "/" + width);
        }
        long n = (long) count * channels * height * width;
        if (pixels.length != n) {
            throw new IllegalArgumentException("pixels: expected " + n + " bytes, got " + pixels.length);
        }
        if (labels != null && labels.length != count) {
            throw new IllegalArgumentException("labels: expected " + count + " labels, got " + labels.length);
        }
        this.count = count;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels.clone();
        this.labels = labels == null ? null : labels.clone();
    }

    /** Reads an IDX image file and its IDX label file (each gzipped or not); counts must agree. */
    public static LabeledImages readIdx(Path images, Path labels) throws IOException {
        Idx.Data img = Idx.read(images, 3);
        int[] lab = labels == null ? null : toInts(Idx.read(labels, 1));
        return fromIdx(img, lab, images.toString());
    }

    /** Reads a gzipped or plain IDX pair from streams (e.g. class-path resources). */
    public static LabeledImages readIdx(InputStream images, InputStream labels, String source) throws IOException {
        Idx.Data img = Idx.read(images, source + " (images)", 3);
        int[] lab = labels == null ? null : toInts(Idx.read(labels, source + " (labels)", 1));
        return fromIdx(img, lab, source);
    }

    private static LabeledImages fromIdx(Idx.Data img, int[] lab, String source) throws IOException {
        int[] d = img.dims();
        if (lab != null && lab.length != d[0]) {
            throw new IOException(source + ": expected " + d[0] + " labels (one per image), got " + lab.length);
        }
        return new LabeledImages(d[0], 1, d[1], d[2], img.values(), lab);
    }

    private static int[] toInts(Idx.Data d) {
        byte[] v = d.values();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] & 0xff;
        }
        return out;
    }

    /** MNIST test set (10,000) shipped in this module's resources. */
    public static LabeledImages mnistTest() throws IOException {
        return resource("t10k");
    }

    /** The first 20,000 MNIST training images shipped in this module's resources. */
    public static LabeledImages mnistTrain20k() throws IOException {
        return resource("train20k");
    }

    private static LabeledImages resource(String prefix) throws IOException {
        String base = "/org/diffusion4j/image/mnist/" + prefix;
        try (InputStream i = LabeledImages.class.getResourceAsStream(base + "-images-idx3-ubyte.gz");
                InputStream l = LabeledImages.class.getResourceAsStream(base + "-labels-idx1-ubyte.gz")) {
            if (i == null || l == null) {
                throw new IOException("resource " + base + "-*.gz not on the class path");
            }
            return readIdx(i, l, base);
        }
    }

    /** The first {@code n} images (and labels). */
    public LabeledImages head(int n) {
        if (n < 0 || n > count) {
            throw new IllegalArgumentException("n: expected in [0, " + count + "], got " + n);
        }
        int per = imageBytes();
        return new LabeledImages(n, channels, height, width, Arrays.copyOf(pixels, n * per),
                labels == null ? null : Arrays.copyOf(labels, n));
    }

    /** Images [from, from + n) (and their labels). */
    public LabeledImages slice(int from, int n) {
        if (from < 0 || n < 0 || from + n > count) {
            throw new IllegalArgumentException("from/n: expected a range inside [0, " + count + "], got " + from + "+" + n);
        }
        int per = imageBytes();
        return new LabeledImages(n, channels, height, width, Arrays.copyOfRange(pixels, from * per, (from + n) * per),
                labels == null ? null : Arrays.copyOfRange(labels, from, from + n));
    }

    public int count() {
        return count;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    public int label(int i) {
        Objects.checkIndex(i, count);
        if (labels == null) {
            throw new IllegalStateException("this image set has no labels");
        }
        return labels[i];
    }

    /** Pixel {@code (c, y, x)} of image {@code i}, 0..255. */
    public int pixel(int i, int c, int y, int x) {
        return pixels[((i * channels + c) * height + y) * width + x] & 0xff;
    }

    int imageBytes() {
        return channels * height * width;
    }

    byte[] pixelsUnsafe() {
        return pixels;
    }

    int[] labelsUnsafe() {
        return labels;
    }
}
