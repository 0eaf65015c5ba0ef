package org.diffusion4j.image.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.diffusion4j.core.io.AtomicFiles;

/**
 * Tensor ↔ image conversions: [-1, 1] float tensors to 8-bit PNGs (single images and grids) written
 * atomically, images and masks read from files with size checks.
 */
public final class ImageTensors {

    private ImageTensors() {}

    /** Reads any ImageIO-readable file; a corrupt or unsupported file is an IOException naming it. */
    public static BufferedImage readImage(Path file) throws IOException {
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a readable PNG/JPEG image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException(file + ": not a readable PNG/JPEG image (no ImageIO reader accepted it)");
        }
        return img;
    }

    /**
     * Packed 0xRRGGBB of pixel (x, y). Grey images return their raw sample replicated: ImageIO's
     * getRGB on TYPE_BYTE_GRAY goes through a linear-grey colour space and would change the values.
     */
    static int rgb(BufferedImage img, int x, int y) {
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY || img.getType() == BufferedImage.TYPE_USHORT_GRAY) {
            int v = img.getRaster().getSample(x, y, 0);
            if (img.getType() == BufferedImage.TYPE_USHORT_GRAY) {
                v >>= 8;
            }
            return (v << 16) | (v << 8) | v;
        }
        return img.getRGB(x, y) & 0xffffff;
    }

    /** A TYPE_INT_RGB copy with grey samples taken raw (see {@link #rgb}). */
    static BufferedImage toRgb(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                out.setRGB(x, y, rgb(img, x, y));
            }
        }
        return out;
    }

    /** [-1, 1] → 0..255 with rounding and clamping (improved-diffusion's sample script: (x+1)·127.5). */
    private static int toByte(float v) {
        if (Float.isNaN(v)) {
            throw new IllegalArgumentException("image: expected finite values, got NaN");
        }
        long q = Math.round((v + 1f) * 127.5f);
        return (int) Math.max(0, Math.min(255, q));
    }

    /**
     * Writes a grid of images {@code x} [B, C, H, W] (C = 1 or 3, values in [-1, 1]) with {@code columns}
     * per row and {@code padding} black pixels between cells; B = 1 writes a single image.
     */
    public static void writeGrid(NDArray x, int columns, int padding, Path file) throws IOException {
        Shape s = x.getShape();
        if (s.dimension() != 4 || (s.get(1) != 1 && s.get(1) != 3)) {
            throw new IllegalArgumentException("x: expected [B, 1 or 3, H, W], got " + s);
        }
        if (columns <= 0 || padding < 0) {
            throw new IllegalArgumentException("columns/padding: expected > 0/>= 0, got " + columns + "/" + padding);
        }
        int b = (int) s.get(0);
        int c = (int) s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        int cols = Math.min(columns, b);
        int rows = (b + cols - 1) / cols;
        float[] v = x.toType(DataType.FLOAT32, false).toFloatArray();
        BufferedImage img = new BufferedImage(cols * w + (cols - 1) * padding, rows * h + (rows - 1) * padding,
                c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < b; i++) {
            int ox = (i % cols) * (w + padding);
            int oy = (i / cols) * (h + padding);
            for (int yy = 0; yy < h; yy++) {
                for (int xx = 0; xx < w; xx++) {
                    int base = ((i * c) * h + yy) * w + xx;
                    if (c == 1) {
                        img.getRaster().setSample(ox + xx, oy + yy, 0, toByte(v[base]));
                    } else {
                        int r = toByte(v[base]);
                        int g = toByte(v[base + h * w]);
                        int bl = toByte(v[base + 2 * h * w]);
                        img.setRGB(ox + xx, oy + yy, (r << 16) | (g << 8) | bl);
                    }
                }
            }
        }
        writePng(img, file);
    }

    /** Writes one image [C, H, W] or [1, C, H, W]. */
    public static void writePng(NDArray x, Path file) throws IOException {
        NDArray four = x.getShape().dimension() == 3 ? x.expandDims(0) : x;
        if (four.getShape().get(0) != 1) {
            throw new IllegalArgumentException("x: expected one image [C, H, W] or [1, C, H, W], got " + x.getShape());
        }
        writeGrid(four, 1, 0, file);
    }

    /** Writes {@code img} as PNG through a temporary file in the same directory and an atomic move. */
    public static void writePng(BufferedImage img, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /**
     * Reads a mask PNG of exactly {@code height × width}: float32 [1, 1, H, W] with 1 where the pixel's
     * luma is ≥ 128 (white = region to keep/fill as the pipeline defines) and 0 elsewhere.
     */
    public static NDArray readMask(Path file, int height, int width, NDManager manager) throws IOException {
        BufferedImage img = readImage(file);
        if (img.getHeight() != height || img.getWidth() != width) {
            throw new IllegalArgumentException("mask " + file + ": expected " + width + "×" + height + " pixels, got "
                    + img.getWidth() + "×" + img.getHeight());
        }
        float[] m = new float[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = rgb(img, x, y);
                int r = (argb >> 16) & 0xff;
                int g = (argb >> 8) & 0xff;
                int b = argb & 0xff;
                m[y * width + x] = (299 * r + 587 * g + 114 * b) >= 128_000 ? 1f : 0f;
            }
        }
        return manager.create(m, new Shape(1, 1, height, width));
    }

    /**
     * Reads one image as float32 [1, C, H, W] in [-1, 1], checking its size and converting to
     * {@code channels} (1 = BT.601 luma, 3 = RGB).
     */
    public static NDArray readImage(Path file, int channels, int height, int width, NDManager manager) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels: expected 1 or 3, got " + channels);
        }
        BufferedImage img = readImage(file);
        if (img.getHeight() != height || img.getWidth() != width) {
            throw new IllegalArgumentException("image " + file + ": expected " + width + "×" + height + " pixels, got "
                    + img.getWidth() + "×" + img.getHeight());
        }
        float[] v = new float[channels * height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = rgb(img, x, y);
                int r = (argb >> 16) & 0xff;
                int g = (argb >> 8) & 0xff;
                int b = argb & 0xff;
                if (channels == 1) {
                    v[y * width + x] = Math.round((299 * r + 587 * g + 114 * b) / 1000.0) / 127.5f - 1f;
                } else {
                    v[y * width + x] = r / 127.5f - 1f;
                    v[height * width + y * width + x] = g / 127.5f - 1f;
                    v[2 * height * width + y * width + x] = b / 127.5f - 1f;
                }
            }
        }
        return manager.create(v, new Shape(1, channels, height, width));
    }

    /** createTempFile makes owner-only files; the final file gets ordinary rw-r--r-- permissions. */
}
