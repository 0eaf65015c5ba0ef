package org.diffusion4j.text.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.process.Prediction;
import org.diffusion4j.core.schedule.NoiseSchedule;
import org.diffusion4j.core.training.DiffusionTrainer;
import org.diffusion4j.core.training.RunSettings;
import org.diffusion4j.core.training.TrainerConfig;
import org.diffusion4j.core.training.TrainingCheckpoint;
import org.diffusion4j.core.training.TrainingListener;
import org.diffusion4j.core.training.TrainingProgress;
import org.diffusion4j.text.data.E2eCorpus;
import org.diffusion4j.text.data.HuggingFaceJsonTokenizer;
import org.diffusion4j.text.data.SequenceEncoder;
import org.diffusion4j.text.data.Vocabulary;
import org.diffusion4j.text.data.WhitespaceTokenizer;
import org.diffusion4j.core.io.AtomicFiles;
import org.diffusion4j.text.io.Sha256;
import org.diffusion4j.text.model.DiffusionLmBlock;
import org.diffusion4j.text.model.DiffusionLmConfig;
import org.diffusion4j.text.model.DiffusionLmModel;

/**
 * Trains a Diffusion-LM on sentences through sdk-core's {@link DiffusionTrainer} with {@link DiffusionLmObjective}:
 * sqrt schedule, T = 2,000, x0-prediction, the embedding learned jointly. The run directory holds
 * {@code vocab.txt}, {@code checkpoints/} and, at the end (or on {@link #export}), {@code model/}
 * ({@link DiffusionLmModel} of the EMA weights). Calling {@link #run} again on the same directory resumes from the
 * newest checkpoint; a run's result depends only on its settings (seeded batches, noise and weights).
 */
public final class DiffusionLmTraining {

    /** The run directory's copy of the Hugging Face tokenizer a run was started with, if any. */
    public static final String TOKENIZER_FILE = DiffusionLmModel.TOKENIZER_FILE;
    static final String E2E_DATA = "E2E src1_valid (CC BY-SA 4.0)";

    private final TrainingSettings settings;
    private final PrintStream log;
    private final boolean allowSettingChanges;
    private final HuggingFaceJsonTokenizer tokenizer;
    private final String dataDescription;

    public DiffusionLmTraining(TrainingSettings settings, PrintStream log) {
        this(settings, log, false, null, E2E_DATA);
    }

    private DiffusionLmTraining(TrainingSettings settings, PrintStream log, boolean allowSettingChanges,
            HuggingFaceJsonTokenizer tokenizer, String dataDescription) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
        this.allowSettingChanges = allowSettingChanges;
        this.tokenizer = tokenizer;
        this.dataDescription = dataDescription;
    }

    /**
     * This training, but resuming a run whose learning rate, warm-up or checkpoint interval differ from these
     * settings continues with these (see {@link DiffusionTrainer.Builder#allowSettingChanges}) instead of refusing.
     */
    public DiffusionLmTraining allowingSettingChanges() {
        return new DiffusionLmTraining(settings, log, true, tokenizer, dataDescription);
    }

    /**
     * This training for sentences split by a Hugging Face tokenizer: the run directory keeps a copy of its
     * {@code tokenizer.json} (a resumed run refuses another one) and the exported model carries it, so generation
     * joins tokens back with the tokenizer's decoder. The caller keeps ownership of {@code tokenizer}.
     */
    public DiffusionLmTraining withTokenizer(HuggingFaceJsonTokenizer tokenizer) {
        return new DiffusionLmTraining(settings, log, allowSettingChanges, Objects.requireNonNull(tokenizer, "tokenizer"),
                dataDescription);
    }

    /** This training with {@code description} recorded as the model's data provenance (default: E2E src1_valid). */
    public DiffusionLmTraining describingData(String description) {
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("description: expected a non-blank description of the data, got '"
                    + description + "'");
        }
        return new DiffusionLmTraining(settings, log, allowSettingChanges, tokenizer, description);
    }

    /** The diffusion process every Diffusion-LM of this SDK uses: sqrt schedule over T steps, x0-prediction. */
    public static GaussianDiffusion process(int numTimesteps) {
        return GaussianDiffusion.builder().schedule(NoiseSchedule.sqrt(numTimesteps)).prediction(Prediction.X0).build();
    }

    /** The training sentences (E2E src1_valid), tokenised. */
    public static List<List<String>> trainingSentences() {
        WhitespaceTokenizer tok = new WhitespaceTokenizer();
        return E2eCorpus.load(E2eCorpus.Split.TRAIN).texts().stream().map(tok::tokenize).toList();
    }

    /** The network configuration the settings describe for a vocabulary of {@code vocabSize} tokens. */
    public DiffusionLmConfig modelConfig(int vocabSize) {
        return DiffusionLmConfig.builder(vocabSize).embeddingDim(settings.embeddingDim()).hiddenSize(settings.hiddenSize())
                .layers(settings.layers()).heads(settings.heads()).sequenceLength(settings.sequenceLength())
                .dropout(settings.dropout()).build();
    }

    /** Runs (or resumes) the training up to {@code settings.run().steps()}, then exports the EMA model. */
    public DiffusionLmModel run(List<List<String>> sentences, NDManager manager) throws IOException {
        Path runDir = settings.runDir();
        Files.createDirectories(runDir);
        requireSameTokenizer();
        Vocabulary vocab = vocabulary(sentences);
        recordTokenizer();
        SequenceEncoder encoder = new SequenceEncoder(vocab, settings.sequenceLength());
        List<long[]> encoded = new ArrayList<>();
        int skipped = 0;
        for (List<String> s : sentences) {
            if (s.size() > encoder.maxWords()) {
                skipped++;
            } else {
                encoded.add(encoder.encode(s).ids());
            }
        }
        log.printf(Locale.ROOT, "sentences %d (skipped %d longer than %d words), vocabulary %d%n", encoded.size(), skipped,
                encoder.maxWords(), vocab.size());
        DiffusionLmConfig config = modelConfig(vocab.size());
        GaussianDiffusion diffusion = process(config.numTimesteps());
        Path checkpoints = runDir.resolve("checkpoints");
        TrainerConfig trainerConfig = settings.run().trainerConfig(checkpoints).keepCheckpoints(2).build();
        AtomicReference<DiffusionTrainer> holder = new AtomicReference<>();
        DiffusionTrainer.Builder builder = DiffusionTrainer.builder().diffusion(diffusion)
                .allowSettingChanges(allowSettingChanges)
                .architecture(() -> DiffusionLmBlock.create(config, settings.run().seed()))
                .inputShapes(new ai.djl.ndarray.types.Shape(settings.run().batchSize(), config.sequenceLength(), config.embeddingDim()),
                        new ai.djl.ndarray.types.Shape(settings.run().batchSize()))
                .config(trainerConfig)
                .objective(new DiffusionLmObjective(() -> (DiffusionLmBlock) holder.get().block()))
                .listener(new Progress(log));
        Optional<Path> latest = TrainingCheckpoint.latest(checkpoints);
        try (DiffusionTrainer trainer = latest.isPresent() ? builder.resume(manager, latest.get()) : builder.build(manager)) {
            holder.set(trainer);
            log.printf(Locale.ROOT, "model %s, %d parameters; %s at step %d%n", config, config.parameterCount(),
                    latest.isPresent() ? "resumed from " + latest.get() : "fresh run", trainer.step());
            TokenBatches data = new TokenBatches(encoded, settings.run().batchSize(), settings.run().seed());
            long remaining = Math.max(0, settings.run().steps() - trainer.step());
            trainer.train(data, remaining);
            // The trainer's arrays die with it: copy the EMA weights into a block owned by the caller's manager.
            DiffusionLmBlock ema = DiffusionLmBlock.create(config, settings.run().seed());
            ema.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, ema.inputShapes(1));
            ai.djl.nn.ParameterList from = trainer.emaBlock().getParameters();
            ai.djl.nn.ParameterList to = ema.getParameters();
            for (int i = 0; i < to.size(); i++) {
                org.diffusion4j.core.memory.NativeArrays.copyInto(to.valueAt(i).getArray(), from.valueAt(i).getArray());
            }
            DiffusionLmModel model = DiffusionLmModel.of(ema, vocab, provenance(trainer.step(), encoded.size()));
            if (tokenizer != null) {
                model = model.withTokenizer(tokenizer);
            }
            model.save(runDir.resolve("model"));
            log.println("model written to " + runDir.resolve("model"));
            return model;
        }
    }

    /**
     * Writes the EMA weights of a checkpoint of this run's settings as a model directory, without a trainer (so a
     * running training is not disturbed; sdk-core checkpoints record their directory and cannot be resumed elsewhere).
     *
     * @throws IllegalArgumentException if the checkpoint's parameters do not match the settings' network
     */
    public DiffusionLmModel export(Path checkpoint, Path outDir, NDManager manager) throws IOException {
        Vocabulary vocab = Vocabulary.load(settings.runDir().resolve("vocab.txt"));
        DiffusionLmConfig config = modelConfig(vocab.size());
        try (NDManager scratch = manager.newSubManager()) {
            TrainingCheckpoint ckpt = TrainingCheckpoint.read(checkpoint, scratch);
            DiffusionLmBlock block = DiffusionLmBlock.create(config, settings.run().seed());
            block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, block.inputShapes(1));
            ai.djl.nn.ParameterList to = block.getParameters();
            if (!ckpt.names().equals(to.keys())) {
                throw new IllegalArgumentException("checkpoint: parameters " + ckpt.names() + " differ from the network's "
                        + to.keys());
            }
            for (int i = 0; i < to.size(); i++) {
                ai.djl.ndarray.NDArray target = to.valueAt(i).getArray();
                if (!ckpt.shapes().get(i).equals(target.getShape())) {
                    throw new IllegalArgumentException("checkpoint: parameter " + to.keyAt(i) + " has shape "
                            + ckpt.shapes().get(i) + ", the network's is " + target.getShape());
                }
                org.diffusion4j.core.memory.NativeArrays.copyInto(target, ckpt.ema().get(i));
            }
            DiffusionLmModel model = DiffusionLmModel.of(block, vocab, provenance(ckpt.step(), -1));
            Path runTokenizer = settings.runDir().resolve(TOKENIZER_FILE);
            if (Files.isRegularFile(runTokenizer)) {
                try (HuggingFaceJsonTokenizer t = HuggingFaceJsonTokenizer.load(runTokenizer)) {
                    model = model.withTokenizer(t);
                }
            }
            model.save(outDir);
            return model;
        }
    }

    private Map<String, String> provenance(long step, int sentences) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("steps", Long.toString(step));
        p.put("seed", Long.toString(settings.run().seed()));
        p.put("batchSize", Integer.toString(settings.run().batchSize()));
        p.put("learningRate", Double.toString(settings.run().learningRate()));
        if (settings.run().decaysLearningRate()) {
            p.put("learningRateDecay", "linear from step " + settings.run().lrDecayFrom() + " to 0 at step " + settings.run().steps());
        }
        p.put("emaDecay", Double.toString(settings.run().emaDecay()));
        if (sentences >= 0) {
            p.put("trainingSentences", Integer.toString(sentences));
        }
        p.put("data", dataDescription);
        return p;
    }

    /** A run keeps the tokenizer it was started with: its vocabulary holds that tokenizer's tokens. */
    private void requireSameTokenizer() throws IOException {
        Path file = settings.runDir().resolve(TOKENIZER_FILE);
        boolean started = Files.exists(settings.runDir().resolve("vocab.txt"));
        if (Files.isRegularFile(file)) {
            String recorded = Sha256.hex(Files.readAllBytes(file));
            if (tokenizer == null) {
                throw new IllegalArgumentException("tokenizer: the run in " + settings.runDir() + " was started with the "
                        + "Hugging Face tokenizer in " + file + " (sha256 " + recorded + "), got whitespace splitting");
            }
            if (!recorded.equals(tokenizer.fingerprint())) {
                throw new IllegalArgumentException("tokenizer: the run in " + settings.runDir() + " was started with the "
                        + "tokenizer in " + file + " (sha256 " + recorded + "), got one with sha256 " + tokenizer.fingerprint());
            }
        } else if (tokenizer != null && started) {
            throw new IllegalArgumentException("tokenizer: the run in " + settings.runDir() + " was started with "
                    + "whitespace splitting, got a Hugging Face tokenizer (sha256 " + tokenizer.fingerprint() + ")");
        }
    }

    /** A new run with a Hugging Face tokenizer keeps a copy beside its vocabulary (written atomically). */
    private void recordTokenizer() throws IOException {
        Path file = settings.runDir().resolve(TOKENIZER_FILE);
        if (tokenizer != null && !Files.exists(file)) {
            byte[] json = tokenizer.json();
            AtomicFiles.write(file, out -> out.write(json));
        }
    }

    /** Builds the vocabulary, or loads the run's own one (a resumed run must keep its ids). */
    private Vocabulary vocabulary(List<List<String>> sentences) throws IOException {
        Path file = settings.runDir().resolve("vocab.txt");
        Vocabulary built = Vocabulary.build(sentences, settings.minCount());
        if (built.size() == Vocabulary.SPECIAL_TOKENS.size()) {
            throw new IllegalArgumentException("minCount: no word of the " + sentences.size() + " sentences is seen more than "
                    + settings.minCount() + " times, so the vocabulary would hold only " + Vocabulary.SPECIAL_TOKENS
                    + "; lower minCount or give more sentences");
        }
        if (Files.exists(file)) {
            Vocabulary saved = Vocabulary.load(file);
            if (!saved.equals(built)) {
                throw new IllegalArgumentException("runDir: " + file + " holds another vocabulary (" + saved.size()
                        + " tokens, sha256 " + saved.fingerprint() + ") than these sentences give (" + built.size()
                        + " tokens, sha256 " + built.fingerprint() + ")");
            }
            return saved;
        }
        built.save(file);
        return built;
    }

    /** Prints one line every 100 steps and on checkpoints. */
    private static final class Progress implements TrainingListener {
        private final PrintStream log;
        private double sum;
        private int count;

        Progress(PrintStream log) {
            this.log = log;
        }

        @Override
        public void onStep(TrainingProgress p) {
            sum += p.loss();
            count++;
            if (p.step() % 100 == 0) {
                log.printf(Locale.ROOT, "step %d/%d loss %.4f (mean of last %d) lr %.2e grad %.3f %.2f steps/s eta %s%n",
                        p.step(), p.targetStep(), sum / count, count, p.learningRate(), p.gradNorm(), p.stepsPerSecond(),
                        p.eta());
                sum = 0;
                count = 0;
            }
        }

        @Override
        public void onCheckpoint(long step, Path file) {
            log.println("checkpoint " + file);
        }
    }

    /**
     * Command-line entry: {@code --run-dir DIR --steps N [--seed S] [--batch B] [--lr X] [--layers N] [--hidden H]
     * [--length L] [--checkpoint-every N]}; with {@code --export CHECKPOINT [--out DIR]} it only writes that
     * checkpoint's EMA model (default DIR: RUN_DIR/model).
     */
    public static void main(String[] args) throws IOException {
        String export = null;
        String out = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--export") && i + 1 < args.length) {
                export = args[++i];
            } else if (args[i].equals("--out") && i + 1 < args.length) {
                out = args[++i];
            } else {
                rest.add(args[i]);
            }
        }
        TrainingSettings s = parse(rest.toArray(String[]::new));
        try (NDManager manager = NDManager.newBaseManager()) {
            DiffusionLmTraining training = new DiffusionLmTraining(s, System.out);
            if (export != null) {
                Path target = out == null ? s.runDir().resolve("model") : Path.of(out);
                training.export(Path.of(export), target, manager);
                System.out.println("model of " + export + " written to " + target);
            } else {
                training.run(trainingSentences(), manager);
            }
        }
    }

    static TrainingSettings parse(String[] args) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("args: expected --key value pairs, got '" + args[i] + "'");
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        TrainingSettings d = TrainingSettings.defaults(Path.of(a.getOrDefault("run-dir", "runs/text")));
        RunSettings r = d.run();
        TrainingSettings s = d.toBuilder().run(r.with(b -> b.seed(Long.parseLong(a.getOrDefault("seed", "" + r.seed())))
                        .steps(Long.parseLong(a.getOrDefault("steps", "" + r.steps())))
                        .batchSize(Integer.parseInt(a.getOrDefault("batch", "" + r.batchSize())))
                        .learningRate(Double.parseDouble(a.getOrDefault("lr", "" + r.learningRate())))
                        .checkpointEvery(Integer.parseInt(a.getOrDefault("checkpoint-every", "" + r.checkpointEvery())))))
                .sequenceLength(Integer.parseInt(a.getOrDefault("length", "" + d.sequenceLength())))
                .hiddenSize(Integer.parseInt(a.getOrDefault("hidden", "" + d.hiddenSize())))
                .layers(Integer.parseInt(a.getOrDefault("layers", "" + d.layers()))).build();
        return s;
    }
}
