package org.diffusion4j.image.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a folder of PNG/JPEG images (ImageIO) into a {@link LabeledImages} set of a given square size:
 * each image is scaled (bilinear) so that its shorter side equals {@code size}, then centre-cropped. With
 * sub-folders, each sub-folder is a class (labels by sorted folder name); otherwise the set is unlabeled.
 */
public final class ImageFolder {

    private ImageFolder() {}

    public static LabeledImages read(Path dir, int size, boolean rgb) throws IOException {
        if (size <= 0) {
            throw new IllegalArgumentException("size: expected > 0, got " + size);
        }
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": expected a directory of images");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(dir)) {
            classDirs = s.filter(Files::isDirectory).sorted().toList();
        }
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        if (classDirs.isEmpty()) {
            files.addAll(images(dir));
        } else {
            for (int c = 0; c < classDirs.size(); c++) {
                for (Path f : images(classDirs.get(c))) {
                    files.add(f);
                    labels.add(c);
                }
            }
        }
        if (files.isEmpty()) {
            throw new IOException(dir + ": expected PNG or JPEG files, found none");
        }
        int ch = rgb ? 3 : 1;
        int per = ch * size * size;
        byte[] px = new byte[files.size() * per];
        for (int i = 0; i < files.size(); i++) {
            BufferedImage img = ImageTensors.toRgb(ImageTensors.readImage(files.get(i)));
            BufferedImage sq = resizeCenterCrop(img, size);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int argb = sq.getRGB(x, y);
                    int r = (argb >> 16) & 0xff;
                    int g = (argb >> 8) & 0xff;
                    int b = argb & 0xff;
                    if (rgb) {
                        px[i * per + y * size + x] = (byte) r;
                        px[i * per + size * size + y * size + x] = (byte) g;
                        px[i * per + 2 * size * size + y * size + x] = (byte) b;
                    } else {
                        // ITU-R BT.601 luma, as PIL's convert("L")
                        px[i * per + y * size + x] = (byte) Math.round((299 * r + 587 * g + 114 * b) / 1000.0);
                    }
                }
            }
        }
        int[] lab = labels.isEmpty() ? null : labels.stream().mapToInt(Integer::intValue).toArray();
        return new LabeledImages(files.size(), ch, size, size, px, lab);
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted().toList();
        }
    }

    /** Scales the shorter side to {@code size} (bilinear) and crops the centre square. */
    static BufferedImage resizeCenterCrop(BufferedImage img, int size) {
        int w = img.getWidth();
        int h = img.getHeight();
        double scale = (double) size / Math.min(w, h);
        int sw = Math.max(size, (int) Math.round(w * scale));
        int sh = Math.max(size, (int) Math.round(h * scale));
        BufferedImage scaled = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, sw, sh, null);
        } finally {
            g.dispose();
        }
        int x0 = (sw - size) / 2;
        int y0 = (sh - size) / 2;
        return scaled.getSubimage(x0, y0, size, size);
    }
}
