package org.diffusion4j.core.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Every setting of a {@link DiffusionTrainer} run, immutable, validated, and stored verbatim in each checkpoint so
 * that a resumed run continues with exactly the same settings.
 *
 * @param seed                 seed of every random draw of the run (weights, t, noise, conditioning dropout)
 * @param learningRate         peak AdamW learning rate η
 * @param warmupSteps          linear warm-up: step s (0-based) uses η·min(1, (s + 1)/warmupSteps); 0 disables it
 * @param beta1                AdamW first-moment decay β₁ ∈ [0, 1)
 * @param beta2                AdamW second-moment decay β₂ ∈ [0, 1)
 * @param epsilon              AdamW denominator term ε > 0
 * @param weightDecay          decoupled weight decay λ ≥ 0 (Loshchilov &amp; Hutter 2019)
 * @param gradClipNorm         clip the global gradient L2 norm to this value; 0 disables clipping
 * @param emaDecay             EMA decay ρ ∈ [0, 1): θ_ema ← ρ·θ_ema + (1 − ρ)·θ after each step
 * @param timestepSampling     uniform or loss-aware importance sampling of t
 * @param historyPerTimestep   losses kept per t for {@link TimestepSampling#LOSS_SECOND_MOMENT} (improved-diffusion: 10)
 * @param uniformProbability   probability mass mixed uniformly into the importance distribution (improved-diffusion: 0.001)
 * @param condDropProbability  probability of replacing an example's conditioning by {@code nullCondition} (for
 *                             classifier-free guidance, Ho &amp; Salimans 2022); 0 disables it
 * @param nullCondition        the value every element of a dropped conditioning array takes (e.g. the "no class"
 *                             label, or 0 for embeddings)
 * @param checkpointDir        where checkpoints are written; null disables checkpointing
 * @param checkpointEvery      write a checkpoint every this many steps (and at the end of each
 *                             {@link DiffusionTrainer#train} call); 0 = only at the end
 * @param keepCheckpoints      how many of the newest checkpoints to keep (≥ 1)
 * @param lrDecayStartStep     first step of the linear learning-rate decay (see {@link #learningRateAt})
 * @param lrDecayEndStep       step at which the decayed learning rate reaches 0; 0 disables the decay. With
 *                             {@code lrDecayStartStep = 0} this is improved-diffusion's {@code lr_anneal_steps}
 *                             (Diffusion-LM trains with it); a later start anneals a run that is resumed at
 *                             constant η, without a jump in η
 */
public record TrainerConfig(long seed, double learningRate, int warmupSteps, double beta1, double beta2,
                            double epsilon, double weightDecay, double gradClipNorm, double emaDecay,
                            TimestepSampling timestepSampling, int historyPerTimestep, double uniformProbability,
                            double condDropProbability, double nullCondition, Path checkpointDir,
                            int checkpointEvery, int keepCheckpoints, long lrDecayStartStep, long lrDecayEndStep) {

    public TrainerConfig {
        requireRange("learningRate", learningRate, 0.0, false, Double.POSITIVE_INFINITY);
        requireAtLeast("warmupSteps", warmupSteps, 0);
        requireUnitOpen("beta1", beta1);
        requireUnitOpen("beta2", beta2);
        requireRange("epsilon", epsilon, 0.0, false, Double.POSITIVE_INFINITY);
        requireRange("weightDecay", weightDecay, 0.0, true, Double.POSITIVE_INFINITY);
        requireRange("gradClipNorm", gradClipNorm, 0.0, true, Double.POSITIVE_INFINITY);
        requireUnitOpen("emaDecay", emaDecay);
        if (timestepSampling == null) {
            throw new IllegalArgumentException("timestepSampling: expected one of UNIFORM, LOSS_SECOND_MOMENT, got null");
        }
        requireAtLeast("historyPerTimestep", historyPerTimestep, 1);
        if (!(uniformProbability >= 0.0 && uniformProbability <= 1.0)) {
            throw new IllegalArgumentException("uniformProbability: expected a value in [0, 1], got " + uniformProbability);
        }
        if (!(condDropProbability >= 0.0 && condDropProbability <= 1.0)) {
            throw new IllegalArgumentException("condDropProbability: expected a value in [0, 1], got " + condDropProbability);
        }
        if (!Double.isFinite(nullCondition)) {
            throw new IllegalArgumentException("nullCondition: expected a finite value, got " + nullCondition);
        }
        requireAtLeast("checkpointEvery", checkpointEvery, 0);
        requireAtLeast("keepCheckpoints", keepCheckpoints, 1);
        if (lrDecayStartStep < 0) {
            throw new IllegalArgumentException("lrDecayStartStep: expected at least 0, got " + lrDecayStartStep);
        }
        if (lrDecayEndStep != 0 && lrDecayEndStep <= lrDecayStartStep) {
            throw new IllegalArgumentException("lrDecayEndStep: expected 0 (no decay) or a step after lrDecayStartStep "
                    + lrDecayStartStep + ", got " + lrDecayEndStep);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this configuration. */
    public Builder toBuilder() {
        return new Builder().seed(seed).learningRate(learningRate).warmupSteps(warmupSteps).beta1(beta1).beta2(beta2)
                .epsilon(epsilon).weightDecay(weightDecay).gradClipNorm(gradClipNorm).emaDecay(emaDecay)
                .timestepSampling(timestepSampling).historyPerTimestep(historyPerTimestep)
                .uniformProbability(uniformProbability).condDropProbability(condDropProbability)
                .nullCondition(nullCondition).checkpointDir(checkpointDir).checkpointEvery(checkpointEvery)
                .keepCheckpoints(keepCheckpoints).lrDecay(lrDecayStartStep, lrDecayEndStep);
    }

    /**
     * The settings a resumed run may change when asked to ({@link DiffusionTrainer.Builder#allowSettingChanges}):
     * those of the optimiser's step size and of bookkeeping. The rest define what the run is: the seed, AdamW's
     * β and ε (its moments were accumulated with them), the EMA decay (the exported EMA's bias correction assumes one
     * ρ), the t sampling and the conditioning dropout.
     */
    public static final Set<String> CHANGEABLE_ON_RESUME = Set.of("learningRate", "warmupSteps", "weightDecay",
            "gradClipNorm", "checkpointDir", "checkpointEvery", "keepCheckpoints", "lrDecayStartStep", "lrDecayEndStep");

    /** Keys added after the first checkpoint format; a checkpoint without them gets the builder's defaults. */
    private static final Set<String> OPTIONAL_KEYS = Set.of("lrDecayStartStep", "lrDecayEndStep");

    /** The names of the settings whose values differ between this configuration and {@code other}, in order. */
    public List<String> differences(TrainerConfig other) {
        Map<String, String> mine = toMap();
        Map<String, String> theirs = other.toMap();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, String> e : mine.entrySet()) {
            if (!e.getValue().equals(theirs.get(e.getKey()))) {
                keys.add(e.getKey());
            }
        }
        return keys;
    }

    /** {@code key=value} of the named settings, for messages. */
    String describe(List<String> keys) {
        Map<String, String> m = toMap();
        List<String> parts = new ArrayList<>();
        for (String k : keys) {
            parts.add(k + "=" + m.get(k));
        }
        return String.join(", ", parts);
    }

    /**
     * The learning rate at 0-based step s: η·w(s)·d(s) with the warm-up w(s) = min(1, (s + 1)/warmupSteps) (1 without
     * warm-up) and the linear decay d(s) = 1 before {@code lrDecayStartStep}, (end − s)/(end − start) from there, and 0
     * from {@code lrDecayEndStep} on (1 when the decay is disabled). With start 0 this is improved-diffusion's
     * {@code _anneal_lr}: η·(1 − s/lr_anneal_steps).
     */
    public double learningRateAt(long step) {
        double warm = warmupSteps == 0 ? 1.0 : Math.min(1.0, (step + 1.0) / warmupSteps);
        double decay = 1.0;
        if (lrDecayEndStep != 0 && step >= lrDecayStartStep) {
            decay = Math.max(0.0, (double) (lrDecayEndStep - step) / (lrDecayEndStep - lrDecayStartStep));
        }
        return learningRate * warm * decay;
    }

    /** Whether the learning rate has decayed to 0 at 0-based step s, so that further steps cannot change the weights. */
    public boolean decayedToZeroAt(long step) {
        return lrDecayEndStep != 0 && step >= lrDecayEndStep;
    }

    /** The settings as "key=value" lines (doubles in their exact round-trip form), for checkpoints. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : toMap().entrySet()) {
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Parses {@link #toText()}.
     *
     * @throws IllegalArgumentException naming the key that is missing, unknown or malformed
     */
    public static TrainerConfig fromText(String text) {
        Objects.requireNonNull(text, "text");
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("config: expected key=value lines, got '" + line + "'");
            }
            values.put(line.substring(0, eq), line.substring(eq + 1));
        }
        Map<String, String> known = builder().build().toMap();
        for (String key : values.keySet()) {
            if (!known.containsKey(key)) {
                throw new IllegalArgumentException("config: unknown key '" + key + "', expected one of " + known.keySet());
            }
        }
        for (String key : known.keySet()) {
            if (!values.containsKey(key) && !OPTIONAL_KEYS.contains(key)) {
                throw new IllegalArgumentException("config: missing key '" + key + "'");
            }
        }
        try {
            String dir = values.get("checkpointDir");
            return builder()
                    .seed(Long.parseLong(values.get("seed")))
                    .learningRate(Double.parseDouble(values.get("learningRate")))
                    .warmupSteps(Integer.parseInt(values.get("warmupSteps")))
                    .beta1(Double.parseDouble(values.get("beta1")))
                    .beta2(Double.parseDouble(values.get("beta2")))
                    .epsilon(Double.parseDouble(values.get("epsilon")))
                    .weightDecay(Double.parseDouble(values.get("weightDecay")))
                    .gradClipNorm(Double.parseDouble(values.get("gradClipNorm")))
                    .emaDecay(Double.parseDouble(values.get("emaDecay")))
                    .timestepSampling(TimestepSampling.valueOf(values.get("timestepSampling")))
                    .historyPerTimestep(Integer.parseInt(values.get("historyPerTimestep")))
                    .uniformProbability(Double.parseDouble(values.get("uniformProbability")))
                    .condDropProbability(Double.parseDouble(values.get("condDropProbability")))
                    .nullCondition(Double.parseDouble(values.get("nullCondition")))
                    .checkpointDir(dir.isEmpty() ? null : Path.of(dir))
                    .checkpointEvery(Integer.parseInt(values.get("checkpointEvery")))
                    .keepCheckpoints(Integer.parseInt(values.get("keepCheckpoints")))
                    .lrDecay(Long.parseLong(values.getOrDefault("lrDecayStartStep", "0")),
                            Long.parseLong(values.getOrDefault("lrDecayEndStep", "0")))
                    .build();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config: malformed number: " + e.getMessage(), e);
        }
    }

    private Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("seed", Long.toString(seed));
        m.put("learningRate", Double.toString(learningRate));
        m.put("warmupSteps", Integer.toString(warmupSteps));
        m.put("beta1", Double.toString(beta1));
        m.put("beta2", Double.toString(beta2));
        m.put("epsilon", Double.toString(epsilon));
        m.put("weightDecay", Double.toString(weightDecay));
        m.put("gradClipNorm", Double.toString(gradClipNorm));
        m.put("emaDecay", Double.toString(emaDecay));
        m.put("timestepSampling", timestepSampling.name());
        m.put("historyPerTimestep", Integer.toString(historyPerTimestep));
        m.put("uniformProbability", Double.toString(uniformProbability));
        m.put("condDropProbability", Double.toString(condDropProbability));
        m.put("nullCondition", Double.toString(nullCondition));
        m.put("checkpointDir", checkpointDir == null ? "" : checkpointDir.toString());
        m.put("checkpointEvery", Integer.toString(checkpointEvery));
        m.put("keepCheckpoints", Integer.toString(keepCheckpoints));
        m.put("lrDecayStartStep", Long.toString(lrDecayStartStep));
        m.put("lrDecayEndStep", Long.toString(lrDecayEndStep));
        return m;
    }

    private static void requireRange(String name, double v, double min, boolean minInclusive, double max) {
        boolean ok = Double.isFinite(v) && (minInclusive ? v >= min : v > min) && v <= max;
        if (!ok) {
            throw new IllegalArgumentException(name + ": expected a finite value " + (minInclusive ? ">= " : "> ")
                    + String.format(Locale.ROOT, "%s", min) + ", got " + v);
        }
    }

    private static void requireUnitOpen(String name, double v) {
        if (!(v >= 0.0 && v < 1.0)) {
            throw new IllegalArgumentException(name + ": expected a value in [0, 1), got " + v);
        }
    }

    private static void requireAtLeast(String name, int v, int min) {
        if (v < min) {
            throw new IllegalArgumentException(name + ": expected at least " + min + ", got " + v);
        }
    }

    /**
     * Builder. Defaults follow improved-diffusion's {@code train_util.py} where it has one: η = 1e−4, no weight decay,
     * EMA 0.9999, uniform t, history 10, uniform mass 0.001; plus β = (0.9, 0.999), ε = 1e−8 (PyTorch's AdamW),
     * clipping at global norm 1, no warm-up, no learning-rate decay, no conditioning dropout, no checkpoints, keep 2.
     */
    public static final class Builder {
        private long seed;
        private double learningRate = 1e-4;
        private int warmupSteps;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double epsilon = 1e-8;
        private double weightDecay;
        private double gradClipNorm = 1.0;
        private double emaDecay = 0.9999;
        private TimestepSampling timestepSampling = TimestepSampling.UNIFORM;
        private int historyPerTimestep = 10;
        private double uniformProbability = 0.001;
        private double condDropProbability;
        private double nullCondition;
        private Path checkpointDir;
        private int checkpointEvery;
        private int keepCheckpoints = 2;
        private long lrDecayStartStep;
        private long lrDecayEndStep;

        private Builder() {
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder warmupSteps(int v) {
            warmupSteps = v;
            return this;
        }

        public Builder beta1(double v) {
            beta1 = v;
            return this;
        }

        public Builder beta2(double v) {
            beta2 = v;
            return this;
        }

        public Builder epsilon(double v) {
            epsilon = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder gradClipNorm(double v) {
            gradClipNorm = v;
            return this;
        }

        public Builder emaDecay(double v) {
            emaDecay = v;
            return this;
        }

        public Builder timestepSampling(TimestepSampling v) {
            timestepSampling = v;
            return this;
        }

        public Builder historyPerTimestep(int v) {
            historyPerTimestep = v;
            return this;
        }

        public Builder uniformProbability(double v) {
            uniformProbability = v;
            return this;
        }

        public Builder condDropProbability(double v) {
            condDropProbability = v;
            return this;
        }

        public Builder nullCondition(double v) {
            nullCondition = v;
            return this;
        }

        public Builder checkpointDir(Path v) {
            checkpointDir = v;
            return this;
        }

        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        public Builder keepCheckpoints(int v) {
            keepCheckpoints = v;
            return this;
        }

        /** Linear learning-rate decay from step {@code start} to 0 at step {@code end}; {@code end = 0} disables it. */
        public Builder lrDecay(long start, long end) {
            lrDecayStartStep = start;
            lrDecayEndStep = end;
            return this;
        }

        public TrainerConfig build() {
            return new TrainerConfig(seed, learningRate, warmupSteps, beta1, beta2, epsilon, weightDecay, gradClipNorm,
                    emaDecay, timestepSampling, historyPerTimestep, uniformProbability, condDropProbability,
                    nullCondition, checkpointDir, checkpointEvery, keepCheckpoints, lrDecayStartStep, lrDecayEndStep);
        }
    }
}
