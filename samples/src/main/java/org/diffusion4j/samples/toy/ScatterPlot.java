package org.diffusion4j.samples.toy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.diffusion4j.core.io.AtomicFiles;

/** Draws two 2-D point sets (data in grey, samples in colour) on a fixed [−3, 3]² canvas and writes a PNG. */
final class ScatterPlot {

    private static final int SIZE = 600;
    private static final double RANGE = 3.0;

    private ScatterPlot() {
    }

    static void write(Path file, String title, float[] data, float[] samples) throws IOException {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, SIZE, SIZE);
            g.setColor(new Color(230, 230, 230));
            g.setStroke(new BasicStroke(1f));
            g.drawLine(SIZE / 2, 0, SIZE / 2, SIZE);
            g.drawLine(0, SIZE / 2, SIZE, SIZE / 2);
            dots(g, data, new Color(150, 150, 150, 160));
            dots(g, samples, new Color(20, 90, 200, 170));
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            g.drawString(title, 10, 20);
            g.setColor(new Color(120, 120, 120));
            g.drawString("grey: data   blue: samples", 10, SIZE - 10);
        } finally {
            g.dispose();
        }
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available for " + file);
            }
        });
    }

    private static void dots(Graphics2D g, float[] points, Color color) {
        g.setColor(color);
        for (int i = 0; i + 1 < points.length; i += 2) {
            int x = (int) Math.round((points[i] + RANGE) / (2 * RANGE) * SIZE);
            int y = (int) Math.round((RANGE - points[i + 1]) / (2 * RANGE) * SIZE);
            g.fillOval(x - 2, y - 2, 4, 4);
        }
    }
}
