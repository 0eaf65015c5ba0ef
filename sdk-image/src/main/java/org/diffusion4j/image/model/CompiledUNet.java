package org.diffusion4j.image.model;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.diffusion4j.core.model.Denoiser;

/**
 * A {@link UNet2D} for inference through libtorch's TorchScript interpreter ({@link UNet2DScript}): the same
 * outputs (to float32 rounding) with one native call per forward instead of one per op, which is what batch-1
 * sampling spends its time on in DJL. A {@link Denoiser}: hand it to {@code ImageModel.compiled} or to any sampler.
 *
 * <p>Needs DJL's PyTorch engine. The weights are copied at compilation: later changes to the network (training,
 * loading other weights) are not seen; compile again. Inputs are checked as {@link UNet2D} checks them; the output
 * is attached to the manager of {@code xt}. Close it to free the module.
 */
public final class CompiledUNet implements Denoiser, AutoCloseable {

    private static final String FILE_STEM = "unet2d";

    private final UNet2DConfig config;
    private final Model model;

    private CompiledUNet(UNet2DConfig config, Model model) {
        this.config = config;
        this.model = model;
    }

    /** Compiles {@code net} with its current weights on the device of its parameters. */
    public static CompiledUNet compile(UNet2D net) throws IOException {
        Objects.requireNonNull(net, "net");
        Path dir = Files.createTempDirectory("diffusion4j-unet2d-script");
        Path file = dir.resolve(FILE_STEM + ".pt");
        try {
            UNet2DScript.write(net, file);
            return load(file, net.config(), net.namedParameters().values().iterator().next().getArray().getDevice());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** Loads a module written by {@link UNet2DScript#write} for a network of {@code config}. */
    public static CompiledUNet load(Path file, UNet2DConfig config, ai.djl.Device device) throws IOException {
        Objects.requireNonNull(config, "config");
        if (!Files.isRegularFile(file)) {
            throw new IOException("file: expected a TorchScript module written by UNet2DScript, got " + file + " (not a file)");
        }
        Model model = Model.newInstance("unet2d-script", device, "PyTorch");
        try {
            String name = file.getFileName().toString();
            model.load(file.toAbsolutePath().getParent(), name.endsWith(".pt") ? name.substring(0, name.length() - 3) : name);
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("file: " + file + " is not a loadable TorchScript module: " + e.getMessage(), e);
        }
        return new CompiledUNet(config, model);
    }

    public UNet2DConfig config() {
        return config;
    }

    @Override
    public NDArray predict(NDArray xt, NDArray t, NDList cond) {
        Objects.requireNonNull(cond, "cond (use an empty NDList)");
        int expected = config.classConditional() ? 1 : 0;
        if (cond.size() != expected) {
            throw new IllegalArgumentException("cond: expected " + (expected == 1 ? "the class labels y [B]" : "nothing")
                    + " for " + (expected == 1 ? "a class-conditional" : "an unconditional") + " model, got "
                    + cond.size() + " arrays");
        }
        NDArray y = expected == 1 ? cond.get(0) : null;
        UNet2D.checkInputs(config, xt, t, y);
        NDManager caller = xt.getManager();
        NDList inputs = y == null ? new NDList(xt, t) : new NDList(xt, t, y);
        try (NDManager scope = caller.newSubManager()) {
            NDList out = model.getBlock().forward(new ParameterStore(scope, false), inputs, false);
            NDArray result = out.head();
            for (NDArray other : out.subNDList(1)) {
                other.attach(scope); // the module returns one tensor; anything else is freed with the scope
            }
            result.attach(caller);
            return result;
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
