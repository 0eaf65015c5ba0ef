package org.diffusion4j.audio.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.diffusion4j.core.io.AtomicFiles;
import org.diffusion4j.core.weights.TensorFiles;

/**
 * Reads and writes WaveGrad weights as safetensors or .npz keyed by lmnt-com/wavegrad's state-dict names
 * ({@code downsample.0.weight}, {@code film.3.output_conv.bias}, {@code upsample.2.block3.1.weight}, ...),
 * so a converted lmnt checkpoint loads here and our weights load in PyTorch with
 * {@code model.load_state_dict}. Loading also reads lmnt's own {@code torch.save} checkpoints ({@code weights-*.pt},
 * whose state dict sits under {@code "model"}) without Python; the format is recognised by content
 * ({@link TensorFiles}). Saving writes {@code .npz} for that extension, else safetensors.
 *
 * <p>Loading is all-or-nothing: names and shapes are checked first, and a file with missing, unexpected or
 * wrongly shaped tensors is rejected with all of them listed, leaving the model untouched.
 */
public final class WaveGradWeights {

    private WaveGradWeights() {
    }

    /** Copies the tensors of {@code file} into the (initialised) {@code model}. */
    public static void load(WaveGrad model, Path file) throws IOException {
        load(model, tmp -> TensorFiles.read(file, tmp), file.toString());
    }

    /**
     * Copies the tensors of a safetensors or .npz stream (e.g. a classpath resource) into the (initialised)
     * {@code model}; {@code source} names the stream in messages.
     */
    public static void load(WaveGrad model, InputStream in, String source) throws IOException {
        load(model, tmp -> TensorFiles.read(in, source, tmp), source);
    }

    /** Reads the tensors into a scratch manager. */
    private interface TensorSource {
        Map<String, NDArray> read(NDManager scratch) throws IOException;
    }

    private static void load(WaveGrad model, TensorSource tensors, String file) throws IOException {
        Map<String, Parameter> params = model.parameters();
        requireInitialized(params);
        NDManager owner = params.values().iterator().next().getArray().getManager();
        try (NDManager tmp = owner.newSubManager()) {
            Map<String, NDArray> byName = tensors.read(tmp);
            // lmnt's training checkpoints (weights-*.pt) hold {"step", "model": state_dict, "optimizer", ...}, the
            // state dict's names prefixed "module." when it was trained with DataParallel
            String probe = params.keySet().iterator().next();
            if (!byName.containsKey(probe)) {
                for (String prefix : new String[] {"model.module.", "model."}) {
                    if (byName.containsKey(prefix + probe)) {
                        byName = TensorFiles.under(byName, prefix);
                        break;
                    }
                }
            }
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray a = byName.get(e.getKey());
                Shape expected = e.getValue().getArray().getShape();
                if (a == null) {
                    problems.add("missing " + e.getKey() + " " + expected);
                } else if (!a.getShape().equals(expected)) {
                    problems.add("wrong shape " + e.getKey() + ": expected " + expected + ", got " + a.getShape());
                } else if (!a.getDataType().isFloating()) {
                    problems.add("wrong dtype " + e.getKey() + ": expected floating point, got " + a.getDataType());
                }
            }
            for (String name : byName.keySet()) {
                if (!params.containsKey(name)) {
                    problems.add("unexpected " + name + " " + byName.get(name).getShape());
                }
            }
            if (!problems.isEmpty()) {
                throw new IOException(file + ": does not match the WaveGrad configuration (" + problems.size()
                        + " problems): " + String.join("; ", problems));
            }
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray target = e.getValue().getArray();
                org.diffusion4j.core.memory.NativeArrays.copyInto(target, byName.get(e.getKey()));
            }
        }
    }

    /** Writes the model's tensors atomically; {@code .npz} files are written as npz, anything else as safetensors. */
    public static void save(WaveGrad model, Path file) throws IOException {
        Map<String, Parameter> params = model.parameters();
        requireInitialized(params);
        NDManager owner = params.values().iterator().next().getArray().getManager();
        boolean npz = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npz");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (NDManager tmp = owner.newSubManager()) {
            NDList list = new NDList();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray copy = e.getValue().getArray().toType(DataType.FLOAT32, true);
                copy.attach(tmp);
                copy.setName(e.getKey());
                list.add(copy);
            }
            list.encode(bytes, npz ? NDList.Encoding.NPZ : NDList.Encoding.SAFETENSORS);
        }
        AtomicFiles.write(file, bytes::writeTo);
    }

    private static void requireInitialized(Map<String, Parameter> params) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            if (!e.getValue().isInitialized()) {
                throw new IllegalStateException("model: parameter " + e.getKey() + " is not initialised; call initialize first");
            }
        }
    }
}
