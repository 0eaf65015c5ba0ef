package org.diffusion4j.text.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.diffusion4j.core.model.BlockDenoiser;
import org.diffusion4j.core.model.Denoiser;
import org.diffusion4j.core.process.GaussianDiffusion;
import org.diffusion4j.core.random.NoiseSource;
import org.diffusion4j.core.sampling.Sampler;
import org.diffusion4j.core.sampling.SamplerState;
import org.diffusion4j.text.control.TokenConstraint;
import org.diffusion4j.text.data.SequenceEncoder;
import org.diffusion4j.text.model.DiffusionLmModel;
import org.diffusion4j.text.model.RoundingOps;
import org.diffusion4j.text.train.DiffusionLmTraining;
import org.diffusion4j.core.memory.Scalars;

/**
 * Decoding with {@link SemanticGuidance}: the DDIM (η = 1) loop of Diffusion-LM's control scripts, driven step by
 * step through sdk-core's {@link Sampler} contract (start / step) because the guidance edits x_{t−1} after the
 * step, which sdk-core's {@code ClassifierGuidance} (a score correction of the network output) does not do.
 * Clamping, known tokens (re-imposed as q(x_{t'} | known) after every step, as masked generation does) and the
 * final rounding are as in {@link DiffusionLmDecoder}.
 */
public final class GuidedDecoder {

    private final DiffusionLmModel model;
    private final GaussianDiffusion diffusion;
    private final SequenceEncoder encoder;

    public GuidedDecoder(DiffusionLmModel model) {
        this.model = Objects.requireNonNull(model, "model");
        this.diffusion = DiffusionLmTraining.process(model.config().numTimesteps());
        this.encoder = new SequenceEncoder(model.vocabulary(), model.config().sequenceLength());
    }

    public List<List<String>> decode(DecodeRequest request, SemanticGuidance guidance, NDManager manager) {
        return decode(request, guidance, manager, null);
    }

    /** As {@link #decode(DecodeRequest, SemanticGuidance, NDManager)}, handing the final latent to {@code latentSink}. */
    List<List<String>> decode(DecodeRequest request, SemanticGuidance guidance, NDManager manager,
            java.util.function.Consumer<float[]> latentSink) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(guidance, "guidance");
        if (request.sampler() != SamplerKind.DDIM) {
            throw new IllegalArgumentException("sampler: semantic guidance runs on ddim (the paper's setting), got "
                    + request.sampler().cliName());
        }
        if (request.mbrCandidates() != 1) {
            throw new IllegalArgumentException("mbrCandidates: not combined with semantic guidance, got " + request.mbrCandidates());
        }
        if (!guidance.classifier().vocabSha256().equals(model.vocabulary().fingerprint())) {
            throw new IllegalArgumentException("classifier: trained on the embedding of vocabulary "
                    + guidance.classifier().vocabSha256() + ", the model's is " + model.vocabulary().fingerprint());
        }
        int b = request.count();
        int l = model.config().sequenceLength();
        int d = model.config().embeddingDim();
        TokenConstraint c = request.constraint();
        if (c != null && c.length() != l) {
            throw new IllegalArgumentException("constraint: expected length " + l + " (the model's), got " + c.length());
        }
        Shape shape = new Shape(b, l, d);
        NoiseSource noise = NoiseSource.seeded(request.seed());
        try (NDManager run = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(run, false);
            NDArray e = model.block().embeddings(ps, run.getDevice(), false);
            Sampler sampler = request.sampler().build(diffusion, request.steps(),
                    request.clamp() ? x0 -> RoundingOps.nearest(x0, e).embeddings() : null);
            Denoiser denoiser = BlockDenoiser.forInference(model.block(), run);
            NDArray known = c == null ? null : RoundingOps.embed(e, c.idArray(run)).expandDims(0).broadcast(shape);
            NDArray mask = c == null ? null : c.maskArray(run).reshape(1, l, 1).broadcast(shape);
            NDArray target = run.full(new Shape(b), guidance.classifier().classIndex(guidance.value()), DataType.INT64)
                    .oneHot(guidance.classifier().values().size(), DataType.FLOAT32);
            NDArray x = noise.normal(run, shape, DataType.FLOAT32);
            try (SamplerState state = sampler.start()) {
                for (int t : sampler.timesteps()) {
                    int next = sampler.nextTimestep(t);
                    NDArray previous = x;
                    try (NDManager scope = run.newSubManager()) {
                        NDArray tArray = scope.full(new Shape(b), t, DataType.INT64);
                        NDArray out = denoiser.predict(x, diffusion.modelTimesteps(tArray));
                        out.attach(scope);
                        NDArray z = sampler.usesNoise(t) ? noise.normal(scope, shape, DataType.FLOAT32) : null;
                        NDArray nx = sampler.step(state, out, t, x, z);
                        nx.attach(scope);
                        if (next >= guidance.minTimestep() && guidance.updates() > 0) {
                            nx = guide(nx, z, t, next, guidance, target, scope);
                        }
                        if (known != null) {
                            NDArray level = next < 0 ? known
                                    : diffusion.qSample(known, scope.full(new Shape(b), next, DataType.INT64), noise);
                            nx = NDArrays.where(mask, level, nx);
                        }
                        x = nx.duplicate();
                        x.attach(run);
                    }
                    previous.close();
                }
            }
            if (latentSink != null) {
                latentSink.accept(x.toFloatArray());
            }
            NDArray ids = request.rounding() == Rounding.NEAREST ? RoundingOps.nearest(x, e).ids()
                    : model.block().logits(ps, x, false).argMax(-1);
            long[] flat = ids.toType(DataType.INT64, false).toLongArray();
            List<List<String>> sentences = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                long[] s = new long[l];
                System.arraycopy(flat, i * l, s, 0, l);
                sentences.add(encoder.decode(s));
            }
            return sentences;
        }
    }

    /** The signed-gradient updates of x_{t'} (t' = next) on classifier NLL + λ·Σ(μ − x)²/σ. */
    private NDArray guide(NDArray x, NDArray z, int t, int next, SemanticGuidance g, NDArray target, NDManager scope) {
        double abar = diffusion.schedule().alphaCumprod(t);
        double abarNext = diffusion.schedule().alphaCumprod(next);
        // DDIM's noise scale at η = 1 (Song et al. 2021 eq. 16): the step is x = μ + σ·z.
        double sigma = Math.sqrt((1 - abarNext) / (1 - abar)) * Math.sqrt(1 - abar / abarNext);
        NDArray mu = z == null ? x.duplicate() : x.sub(z.mul(sigma));
        double denominator = sigma > 0 ? sigma : 1.0;
        NDArray tNext = scope.full(new Shape(x.getShape().get(0)), next, DataType.INT64);
        NDArray cur = x;
        ParameterStore ps = new ParameterStore(scope, false);
        for (int k = 0; k < g.updates(); k++) {
            NDArray leaf = cur.duplicate();
            leaf.setRequiresGradient(true);
            try (GradientCollector gc = scope.getEngine().newGradientCollector()) {
                NDArray logits = g.classifier().block().forward(ps, new NDList(leaf, tNext), false).head();
                NDArray nll = logits.logSoftmax(1).mul(target).sum().neg();
                NDArray fluency = Scalars.mul(mu.sub(leaf).square().sum(), g.lambda() / denominator);
                gc.backward(nll.add(fluency));
            }
            cur = cur.sub(leaf.getGradient().sign().mul(g.stepSize()));
        }
        return cur;
    }
}
