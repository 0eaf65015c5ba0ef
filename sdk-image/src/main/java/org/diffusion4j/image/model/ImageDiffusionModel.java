package org.diffusion4j.image.model;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import org.diffusion4j.core.model.BlockDenoiser;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.process.LossType;
import org.diffusion4j.core.process.VarianceType;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.diffusion4j.image.weights.TorchWeights;

/**
 * What it takes to rebuild a trained image diffusion model: the U-Net arguments, the noise schedule
 * ({@code linear} or {@code cosine}, T steps) and the image size. The variance follows the network:
 * a learned-sigma U-Net is read as improved-diffusion's {@code LEARNED_RANGE} trained with the hybrid
 * loss, otherwise the variance is the fixed posterior β̃ (Ho et al.'s lower bound) and the loss L_simple.
 *
 * <p>Stored as {@code model.properties} next to the weights ({@code ema.safetensors}) so that a trained
 * run can be loaded by the CLI without repeating its flags.
 *
 * @param unet      U-Net arguments
 * @param schedule  {@code linear} or {@code cosine}
 * @param timesteps T
 * @param imageSize side of the square images the model was trained on
 */
public record ImageDiffusionModel(UNet2DConfig unet, String schedule, int timesteps, int imageSize) {

    /** Resource folder of the shipped MNIST model. */
    public static final String SHIPPED_RESOURCE = "/org/diffusion4j/image/mnist-unet/";

    /** The weights a training run exports beside {@code model.properties}: its EMA parameters. */
    public static final String WEIGHTS_FILE = "ema.safetensors";

    public ImageDiffusionModel {
        Objects.requireNonNull(unet, "unet");
        schedule = Objects.requireNonNull(schedule, "schedule").toLowerCase(Locale.ROOT);
        if (!schedule.equals("linear") && !schedule.equals("cosine")) {
            throw new IllegalArgumentException("schedule: expected linear or cosine, got '" + schedule + "'");
        }
        if (timesteps < 2) {
            throw new IllegalArgumentException("timesteps: expected >= 2, got " + timesteps);
        }
        if (imageSize < 1 || imageSize % unet.sizeMultiple() != 0) {
            throw new IllegalArgumentException("imageSize: expected a positive multiple of " + unet.sizeMultiple()
                    + " (the U-Net halves the image " + (unet.channelMult().size() - 1) + " times), got " + imageSize);
        }
    }

    /** The process the model was trained with. */
    public GaussianDiffusion diffusion() {
        NoiseSchedule s = schedule.equals("linear") ? NoiseSchedule.linear(timesteps) : NoiseSchedule.cosine(timesteps);
        GaussianDiffusion.Builder b = GaussianDiffusion.builder().schedule(s);
        if (unet.learnSigma()) {
            b.variance(VarianceType.LEARNED_RANGE).loss(LossType.RESCALED_MSE);
        } else {
            b.variance(VarianceType.FIXED_SMALL).loss(LossType.MSE);
        }
        return b.build();
    }

    /** The label that means "no class" for classifier-free guidance, or −1 without a null class. */
    public int nullClass() {
        return unet.nullClass() ? unet.numClasses() : -1;
    }

    /** The configuration of the shipped MNIST model: {@link #mnistWideConfig()} (since 2026-11-25, step 7,000). */
    public static ImageDiffusionModel mnistShippedConfig() {
        return mnistWideConfig();
    }

    /**
     * The MNIST model shipped until 2026-11-25, cut to what a short run on a shared 2-core CPU could train: 16
     * channels with multipliers (1, 2, 4) (16/32/64 channels at 28/14/7 pixels), one residual block per level, 8 norm
     * groups, self-attention only in the middle block (7×7, 2 heads), scale-shift norm, 10 classes + the null class
     * for classifier-free guidance, no dropout, fixed variance β̃, linear schedule with T = 1000. About 4× cheaper
     * per step than {@link #mnistWideConfig()}.
     */
    public static ImageDiffusionModel mnistCompactConfig() {
        UNet2DConfig u = UNet2DConfig.builder().inChannels(1).outChannels(1).modelChannels(16).channelMult(1, 2, 4)
                .numResBlocks(1).attentionResolutions().numHeads(2).normGroups(8).useScaleShiftNorm(true)
                .dropout(0f).learnSigma(false).numClasses(10).nullClass(true).build();
        return new ImageDiffusionModel(u, "linear", 1000, 28);
    }

    /**
     * The shipped MNIST model's configuration: the "small" U-Net (32 channels, multipliers (1, 2, 2), 1
     * residual block, attention at 14×14 with 2 heads, scale-shift norm) without its learned σ and dropout, with 8
     * norm groups, 10 classes + the null class, fixed variance β̃ and a linear schedule with T = 1000:
     * {@link #mnistCompactConfig()} with 32 channels, multipliers (1, 2, 2) and attention at downsample factor 2.
     */
    public static ImageDiffusionModel mnistWideConfig() {
        ImageDiffusionModel compact = mnistCompactConfig();
        UNet2DConfig u = compact.unet().toBuilder().modelChannels(32).channelMult(1, 2, 2).attentionResolutions(2)
                .build();
        return new ImageDiffusionModel(u, compact.schedule(), compact.timesteps(), compact.imageSize());
    }

    // ------------------------------------------------------------------ loading

    /** A fresh network in {@code manager}, its weights read from {@code weights} (safetensors or npz). */
    public UNet2D load(NDManager manager, Path weights) throws IOException {
        UNet2D net = new UNet2D(unet, 0).initialize(manager);
        TorchWeights.load(net.namedParameters(), weights);
        return net;
    }

    /** Inference denoiser over a loaded network. */
    public static Denoiser denoiser(UNet2D net, NDManager manager) {
        return BlockDenoiser.forInference(net, manager);
    }

    /** Reads {@code dir/model.properties}. */
    public static ImageDiffusionModel read(Path dir) throws IOException {
        Path file = dir.resolve("model.properties");
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": expected a model.properties file (written by training), found none");
        }
        return fromProperties(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The model shipped in this module's resources: its description and its EMA weights. */
    public static ImageDiffusionModel shipped() throws IOException {
        try (InputStream in = resource("model.properties")) {
            return fromProperties(new String(in.readAllBytes(), StandardCharsets.UTF_8), SHIPPED_RESOURCE + "model.properties");
        }
    }

    /** Loads the shipped MNIST network (EMA weights) into {@code manager}. */
    public static UNet2D loadShipped(NDManager manager) throws IOException {
        ImageDiffusionModel model = shipped();
        Path tmp = Files.createTempFile("mnist-unet", ".safetensors");
        try (InputStream in = resource(WEIGHTS_FILE)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return model.load(manager, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = ImageDiffusionModel.class.getResourceAsStream(SHIPPED_RESOURCE + name);
        if (in == null) {
            throw new IOException("resource " + SHIPPED_RESOURCE + name + " not on the class path");
        }
        return in;
    }

    // ------------------------------------------------------------------ text form

    public String toProperties() {
        StringBuilder sb = new StringBuilder();
        line(sb, "schedule", schedule);
        line(sb, "timesteps", timesteps);
        line(sb, "imageSize", imageSize);
        line(sb, "inChannels", unet.inChannels());
        line(sb, "modelChannels", unet.modelChannels());
        line(sb, "outChannels", unet.outChannels());
        line(sb, "channelMult", join(unet.channelMult()));
        line(sb, "numResBlocks", unet.numResBlocks());
        line(sb, "attentionResolutions", join(unet.attentionResolutions()));
        line(sb, "dropout", unet.dropout());
        line(sb, "numHeads", unet.numHeads());
        line(sb, "numHeadsUpsample", unet.numHeadsUpsample());
        line(sb, "useScaleShiftNorm", unet.useScaleShiftNorm());
        line(sb, "learnSigma", unet.learnSigma());
        line(sb, "numClasses", unet.numClasses());
        line(sb, "nullClass", unet.nullClass());
        line(sb, "normGroups", unet.normGroups());
        return sb.toString();
    }

    /** Parses {@link #toProperties()}; every key is required. */
    public static ImageDiffusionModel fromProperties(String text, String source) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        try {
            UNet2DConfig u = UNet2DConfig.builder()
                    .inChannels(integer(p, "inChannels", source))
                    .modelChannels(integer(p, "modelChannels", source))
                    .outChannels(integer(p, "outChannels", source))
                    .channelMult(ints(p, "channelMult", source))
                    .numResBlocks(integer(p, "numResBlocks", source))
                    .attentionResolutions(ints(p, "attentionResolutions", source))
                    .dropout(Float.parseFloat(value(p, "dropout", source)))
                    .numHeads(integer(p, "numHeads", source))
                    .numHeadsUpsample(integer(p, "numHeadsUpsample", source))
                    .useScaleShiftNorm(bool(p, "useScaleShiftNorm", source))
                    .learnSigma(bool(p, "learnSigma", source))
                    .numClasses(integer(p, "numClasses", source))
                    .nullClass(bool(p, "nullClass", source))
                    .normGroups(integer(p, "normGroups", source))
                    .build();
            return new ImageDiffusionModel(u, value(p, "schedule", source), integer(p, "timesteps", source),
                    integer(p, "imageSize", source));
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": invalid model description: " + e.getMessage(), e);
        }
    }

    private static void line(StringBuilder sb, String k, Object v) {
        sb.append(k).append('=').append(v).append('\n');
    }

    private static String join(List<Integer> v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(v.get(i));
        }
        return sb.toString();
    }

    private static String value(Properties p, String k, String source) throws IOException {
        String v = p.getProperty(k);
        if (v == null) {
            throw new IOException(source + ": expected key '" + k + "', found none");
        }
        return v.trim();
    }

    private static int integer(Properties p, String k, String source) throws IOException {
        try {
            return Integer.parseInt(value(p, k, source));
        } catch (NumberFormatException e) {
            throw new IOException(source + ": key '" + k + "' expected an integer, got '" + p.getProperty(k) + "'", e);
        }
    }

    private static boolean bool(Properties p, String k, String source) throws IOException {
        String v = value(p, k, source);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IOException(source + ": key '" + k + "' expected true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private static int[] ints(Properties p, String k, String source) throws IOException {
        String v = value(p, k, source);
        if (v.isEmpty()) {
            return new int[0];
        }
        String[] parts = v.split(",");
        List<Integer> out = new ArrayList<>();
        for (String s : parts) {
            try {
                out.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new IOException(source + ": key '" + k + "' expected comma-separated integers, got '" + v + "'", e);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
