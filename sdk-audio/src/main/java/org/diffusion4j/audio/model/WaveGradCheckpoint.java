package org.diffusion4j.audio.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.diffusion4j.audio.prior.MelEnergyPrior;
import java.util.TreeMap;
import org.diffusion4j.audio.mel.MelRecipe;
import org.diffusion4j.core.io.AtomicFiles;

/**
 * A vocoder checkpoint directory: {@code wavegrad.safetensors} (lmnt-named weights, see
 * {@link WaveGradWeights}) plus {@code wavegrad.properties} holding the network config and the mel recipe
 * the network was trained on. Loading checks the recipe against the caller's, because a vocoder fed a mel
 * computed another way produces noise.
 */
public record WaveGradCheckpoint(WaveGradConfig config, MelRecipe recipe) {

    public static final String WEIGHTS = "wavegrad.safetensors";
    public static final String META = "wavegrad.properties";

    public WaveGradCheckpoint {
        if (config.nMels() != recipe.nMels() || config.hop() != recipe.hop()) {
            throw new IllegalArgumentException("recipe: expected nMels " + config.nMels() + " and hop " + config.hop()
                    + " to match the config, got " + recipe.nMels() + " and " + recipe.hop());
        }
    }

    /** Writes weights and metadata; each file is written atomically. */
    public static void save(Path dir, WaveGrad model, MelRecipe recipe) throws IOException {
        WaveGradCheckpoint meta = new WaveGradCheckpoint(model.config(), recipe);
        Files.createDirectories(dir);
        WaveGradWeights.save(model, dir.resolve(WEIGHTS));
        AtomicFiles.writeString(dir.resolve(META), meta.toProperties());
    }

    /**
     * Makes a checkpoint directory from a bare weights file with lmnt's names (lmnt's own {@code weights-*.pt}, or a
     * safetensors/.npz conversion; {@link WaveGradWeights#load}), so that {@code VocoderModel} and the vocoder
     * commands load it like a model trained here. Such a file carries neither the network's settings nor its mel
     * recipe, so the caller states both. Nothing is written unless every tensor loads into a network of
     * {@code config} (names and shapes are checked first).
     */
    public static void importWeights(Path weights, WaveGradConfig config, MelRecipe recipe, Path dir) throws IOException {
        new WaveGradCheckpoint(config, recipe); // the config and the recipe must agree before any work
        try (NDManager manager = NDManager.newBaseManager()) {
            WaveGrad model = new WaveGrad(config);
            model.initialize(manager, DataType.FLOAT32);
            WaveGradWeights.load(model, weights);
            save(dir, model, recipe);
        }
    }

    /** Reads only the metadata. */
    public static WaveGradCheckpoint readMetadata(Path dir) throws IOException {
        Path file = dir.resolve(META);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + ": not a WaveGrad checkpoint (no " + META + ")");
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds and loads the model in {@code manager}, after checking that the checkpoint's mel recipe equals
     * {@code expectedRecipe} (pass null to skip the check).
     */
    public static WaveGrad load(Path dir, NDManager manager, MelRecipe expectedRecipe) throws IOException {
        WaveGradCheckpoint meta = readMetadata(dir);
        if (expectedRecipe != null) {
            try {
                expectedRecipe.requireSameAs(meta.recipe(), "checkpoint " + dir);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        WaveGrad model = new WaveGrad(meta.config());
        model.initialize(manager, DataType.FLOAT32);
        WaveGradWeights.load(model, dir.resolve(WEIGHTS));
        return model;
    }

    /** Key prefix of the PriorGrad prior; absent keys mean the N(0, I) prior (every model saved before it). */
    static final String PRIOR_PREFIX = "wavegrad.prior.";

    public String toProperties() {
        Properties p = new Properties();
        WaveGradConfig c = config;
        p.setProperty("wavegrad.nMels", Integer.toString(c.nMels()));
        p.setProperty("wavegrad.hop", Integer.toString(c.hop()));
        p.setProperty("wavegrad.upFactors", join(c.upFactors()));
        p.setProperty("wavegrad.upChannels", join(c.upChannels()));
        StringBuilder d = new StringBuilder();
        for (int[] dil : c.upDilations()) {
            d.append(d.length() == 0 ? "" : ";").append(join(dil));
        }
        p.setProperty("wavegrad.upDilations", d.toString());
        p.setProperty("wavegrad.firstDownChannels", Integer.toString(c.firstDownChannels()));
        p.setProperty("wavegrad.downChannels", join(c.downChannels()));
        p.setProperty("wavegrad.melEmbedChannels", Integer.toString(c.melEmbedChannels()));
        p.setProperty("wavegrad.noiseLevelScale", Double.toString(c.noiseLevelScale()));
        p.setProperty("wavegrad.leakySlope", Float.toString(c.leakySlope()));
        c.energyPrior().ifPresent(prior -> prior.toProperties(p, PRIOR_PREFIX));
        StringBuilder out = new StringBuilder("# diffusion4j WaveGrad checkpoint\n");
        new TreeMap<>(p).forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        return out + recipe.toProperties();
    }

    public static WaveGradCheckpoint parse(String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint metadata: unreadable (" + e.getMessage() + ")", e);
        }
        String[] dil = get(p, "wavegrad.upDilations").split(";");
        int[][] dilations = new int[dil.length][];
        for (int i = 0; i < dil.length; i++) {
            dilations[i] = ints(dil[i], "wavegrad.upDilations");
        }
        WaveGradConfig c = WaveGradConfig.builder().nMels(integer(p, "wavegrad.nMels")).hop(integer(p, "wavegrad.hop"))
                .upFactors(ints(get(p, "wavegrad.upFactors"), "wavegrad.upFactors"))
                .upChannels(ints(get(p, "wavegrad.upChannels"), "wavegrad.upChannels")).upDilations(dilations)
                .firstDownChannels(integer(p, "wavegrad.firstDownChannels"))
                .downChannels(ints(get(p, "wavegrad.downChannels"), "wavegrad.downChannels"))
                .melEmbedChannels(integer(p, "wavegrad.melEmbedChannels"))
                .noiseLevelScale(Double.parseDouble(get(p, "wavegrad.noiseLevelScale")))
                .leakySlope(Float.parseFloat(get(p, "wavegrad.leakySlope")))
                .prior(MelEnergyPrior.fromProperties(p, PRIOR_PREFIX)).build();
        return new WaveGradCheckpoint(c, MelRecipe.fromProperties(p));
    }

    private static String join(int[] v) {
        StringWriter w = new StringWriter();
        for (int i = 0; i < v.length; i++) {
            w.append(i == 0 ? "" : ",").append(Integer.toString(v[i]));
        }
        return w.toString();
    }

    private static String get(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint metadata: missing key " + key);
        }
        return v.trim();
    }

    private static int integer(Properties p, String key) {
        return ints(get(p, key), key)[0];
    }

    private static int[] ints(String s, String key) {
        try {
            return Arrays.stream(s.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint metadata: " + key + " expected integers, got " + s, e);
        }
    }
}
