package org.diffusion4j.image.metrics;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Features from a user-supplied TorchScript network (e.g. a traced FID Inception-v3, for the standard
 * FID). The module receives the images exactly as given ([B, C, H, W] float32 in [-1, 1]; greyscale is
 * repeated to 3 channels) and must return [B, D] features; resizing and normalisation belong in the
 * traced module. Not thread-safe (one DJL predictor).
 */
public final class TorchScriptFeatureExtractor implements FeatureExtractor, AutoCloseable {

    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final int dim;

    private TorchScriptFeatureExtractor(Model model, int dim) {
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
        this.dim = dim;
    }

    /** Loads {@code file} (a TorchScript .pt) producing {@code featureDim} features per image. */
    public static TorchScriptFeatureExtractor load(Path file, int featureDim) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": expected a TorchScript .pt file");
        }
        if (featureDim <= 0) {
            throw new IllegalArgumentException("featureDim: expected > 0, got " + featureDim);
        }
        Model m = Model.newInstance("feature-extractor", "PyTorch");
        try {
            m.load(file.toAbsolutePath().getParent(), file.getFileName().toString());
        } catch (MalformedModelException | RuntimeException e) {
            m.close();
            throw new IOException(file + ": not a loadable TorchScript module: " + e.getMessage(), e);
        }
        return new TorchScriptFeatureExtractor(m, featureDim);
    }

    @Override
    public double[][] features(NDArray images) {
        try (NDManager scope = images.getManager().newSubManager()) {
            images.tempAttach(scope);
            NDArray in = images.getShape().get(1) == 1 ? images.repeat(1, 3) : images;
            NDArray out = predictor.predict(new NDList(in)).head();
            out.attach(scope);
            long b = images.getShape().get(0);
            if (out.getShape().dimension() != 2 || out.getShape().get(0) != b || out.getShape().get(1) != dim) {
                throw new IllegalStateException("TorchScript module: expected features [" + b + ", " + dim + "], got "
                        + out.getShape());
            }
            double[] v = out.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
            double[][] rows = new double[(int) b][dim];
            for (int i = 0; i < b; i++) {
                System.arraycopy(v, i * dim, rows[i], 0, dim);
            }
            return rows;
        } catch (TranslateException e) {
            throw new IllegalStateException("TorchScript feature extraction failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int featureDim() {
        return dim;
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
