package org.diffusion4j.text.decode;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.diffusion4j.core.model.BlockDenoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.sampling.MaskedGeneration;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplingOptions;
import org.diffusion4j.text.control.TokenConstraint;
import org.diffusion4j.text.data.SequenceEncoder;
import org.diffusion4j.text.model.DiffusionLmModel;
import org.diffusion4j.text.model.RoundingOps;
import org.diffusion4j.text.train.DiffusionLmTraining;

/**
 * Generates sentences from a trained {@link DiffusionLmModel} with sdk-core's samplers (Li et al. 2022 §4.2):
 * x_T ~ N(0, I) of shape [B, L, d], the chosen sampler with the clamping trick as its x̂0 transform (each predicted
 * x̂0 replaced by the embedding of its nearest word before the posterior mean / DDIM / DPM-Solver++ update), known
 * tokens (length control, infilling) held through sdk-core's {@link MaskedGeneration}, then rounding of the final
 * latent by nearest embedding or argmax of the logits, and optionally MBR selection among k candidates.
 */
public final class DiffusionLmDecoder {

    private final DiffusionLmModel model;
    private final GaussianDiffusion diffusion;
    private final SequenceEncoder encoder;

    public DiffusionLmDecoder(DiffusionLmModel model) {
        this.model = Objects.requireNonNull(model, "model");
        this.diffusion = DiffusionLmTraining.process(model.config().numTimesteps());
        this.encoder = new SequenceEncoder(model.vocabulary(), model.config().sequenceLength());
    }

    public DiffusionLmModel model() {
        return model;
    }

    /** The sentences (words between START and the first END). */
    public List<List<String>> decode(DecodeRequest request, NDManager manager) {
        List<long[]> ids = decodeIds(request, manager);
        List<List<String>> out = new ArrayList<>(ids.size());
        for (long[] s : ids) {
            out.add(encoder.decode(s));
        }
        return out;
    }

    /** Token ids [L] per returned sentence. */
    public List<long[]> decodeIds(DecodeRequest request, NDManager manager) {
        Objects.requireNonNull(request, "request");
        int l = model.config().sequenceLength();
        TokenConstraint c = request.constraint();
        if (c != null && c.length() != l) {
            throw new IllegalArgumentException("constraint: expected length " + l + " (the model's), got " + c.length());
        }
        if (request.steps() > diffusion.numTimesteps()) {
            throw new IllegalArgumentException("steps: expected at most " + diffusion.numTimesteps() + ", got " + request.steps());
        }
        int k = request.mbrCandidates();
        int batch = request.count() * k;
        List<long[]> all = sample(request, batch, manager);
        if (k == 1) {
            return all;
        }
        List<long[]> chosen = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            List<List<String>> group = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                group.add(encoder.decode(all.get(i * k + j)));
            }
            chosen.add(all.get(i * k + MinimumBayesRisk.select(group)));
        }
        return chosen;
    }

    /** E with the rows of START, END, UNK and PAD moved far away (1e4 in every coordinate). */
    static NDArray wordsOnly(NDArray e, NDManager manager) {
        return e.add(specialPenalty(e, manager).neg().expandDims(1).mul(1e4 / 1e9));
    }

    /** −1e9 at the special tokens' ids, 0 elsewhere, [V]. */
    static NDArray specialPenalty(NDArray e, NDManager manager) {
        float[] p = new float[(int) e.getShape().get(0)];
        for (int i = 0; i < org.diffusion4j.text.data.Vocabulary.SPECIAL_TOKENS.size(); i++) {
            p[i] = -1e9f;
        }
        return manager.create(p);
    }

    private List<long[]> sample(DecodeRequest request, int batch, NDManager manager) {
        int l = model.config().sequenceLength();
        int d = model.config().embeddingDim();
        try (NDManager run = manager.newSubManager()) {
            Device device = run.getDevice();
            ParameterStore ps = new ParameterStore(run, false);
            NDArray e = model.block().embeddings(ps, device, false);
            TokenConstraint c = request.constraint();
            boolean wordsOnly = c != null && request.slotsAreWords();
            // Rows of the special tokens moved out of reach, so nearest-neighbour search can only pick words.
            NDArray candidates = wordsOnly ? wordsOnly(e, run) : e;
            UnaryOperator<NDArray> clamp = request.clamp() ? x0 -> RoundingOps.nearest(x0, candidates).embeddings() : null;
            Sampler sampler = request.sampler().build(diffusion, request.steps(), clamp);
            SamplingOptions.Builder options = SamplingOptions.builder(run).seed(request.seed());
            Shape shape = new Shape(batch, l, d);
            if (c != null) {
                NDArray known = RoundingOps.embed(e, c.idArray(run)).expandDims(0).broadcast(shape);
                NDArray mask = c.maskArray(run).reshape(1, l, 1);
                options.mask(MaskedGeneration.of(known, mask));
            }
            NDArray x = sampler.sample(BlockDenoiser.forInference(model.block(), run), shape, options.build());
            NDArray ids;
            if (request.rounding() == Rounding.NEAREST) {
                ids = RoundingOps.nearest(x, candidates).ids();
            } else {
                NDArray logits = model.block().logits(ps, x, false);
                if (wordsOnly) {
                    logits = logits.add(specialPenalty(e, run));
                }
                ids = logits.argMax(-1);
            }
            if (c != null) {
                // Known positions hold their clean embeddings exactly: take their ids from the constraint.
                ids = NDArrays.where(c.maskArray(run).reshape(1, l).broadcast(new Shape(batch, l)),
                        c.idArray(run).reshape(1, l).broadcast(new Shape(batch, l)), ids.toType(DataType.INT64, false));
            }
            long[] flat = ids.toType(DataType.INT64, false).toLongArray();
            List<long[]> out = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                long[] s = new long[l];
                System.arraycopy(flat, i * l, s, 0, l);
                out.add(s);
            }
            return out;
        }
    }
}
