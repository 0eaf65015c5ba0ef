package org.diffusion4j.image.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.diffusion4j.core.io.AtomicFiles;
import org.diffusion4j.core.weights.TensorFiles;

/**
 * Loads and saves named parameters (PyTorch {@code state_dict} names, e.g. a {@code UNet2D}'s
 * {@code namedParameters()}). Loading reads safetensors, .npz and PyTorch {@code torch.save} state dicts (an
 * improved-diffusion {@code ema_*.pt} as published), recognised by content ({@link TensorFiles}); saving writes
 * safetensors or .npz as the file extension says ({@code .safetensors} or {@code .npz}). Tensors of other float types (F16, BF16, F64)
 * are converted to the parameter's type on load.
 *
 * <p>DJL's codec reads the whole file onto the heap and parses safetensors offsets as int, so files are
 * limited to 2 GiB: far above the image models of this module.
 */
public final class TorchWeights {

    /** On-disk formats. */
    public enum Format {
        SAFETENSORS(NDList.Encoding.SAFETENSORS),
        NPZ(NDList.Encoding.NPZ);

        private final NDList.Encoding encoding;

        Format(NDList.Encoding encoding) {
            this.encoding = encoding;
        }

        /** The format named by {@code file}'s extension. */
        public static Format of(Path file) {
            String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (n.endsWith(".safetensors")) {
                return SAFETENSORS;
            }
            if (n.endsWith(".npz")) {
                return NPZ;
            }
            throw new IllegalArgumentException("file: expected a .safetensors or .npz name, got " + file);
        }
    }

    private TorchWeights() {}

    /**
     * Copies the tensors of {@code file} into {@code params} (all already allocated). Every name must be
     * present with the parameter's shape and nothing else may be in the file; otherwise a
     * {@link WeightsMismatchException} lists every problem and no parameter is changed.
     */
    public static void load(Map<String, Parameter> params, Path file) throws IOException {
        Objects.requireNonNull(params, "params");
        NDManager base = anyArray(params).getManager();
        try (NDManager tmp = base.newSubManager()) {
            Map<String, NDArray> byName = new LinkedHashMap<>();
            List<String> unexpected = new ArrayList<>();
            for (Map.Entry<String, NDArray> e : TensorFiles.read(file, tmp).entrySet()) {
                if (params.containsKey(e.getKey())) {
                    byName.put(e.getKey(), e.getValue());
                } else {
                    unexpected.add(e.getKey());
                }
            }
            List<String> missing = new ArrayList<>();
            List<String> wrongShape = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray a = byName.get(e.getKey());
                if (a == null) {
                    missing.add(e.getKey());
                } else if (!a.getShape().equals(e.getValue().getArray().getShape())) {
                    wrongShape.add(e.getKey() + ": expected " + e.getValue().getArray().getShape() + ", got " + a.getShape());
                }
            }
            if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
                throw new WeightsMismatchException(file.toString(), missing, unexpected, wrongShape);
            }
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray target = e.getValue().getArray();
                NDArray src = byName.get(e.getKey());
                if (!src.getDataType().isFloating()) {
                    throw new IOException(file + ": tensor " + e.getKey() + " expected a floating type, got " + src.getDataType());
                }
                copy(src, target);
            }
        }
    }

    private static void copy(NDArray src, NDArray target) {
        // An in-place copy keeps the parameter's storage in libtorch (NDArray.set(Buffer) would not).
        org.diffusion4j.core.memory.NativeArrays.copyInto(target, src);
    }

    /** Writes {@code params} under their names, atomically (temporary file in the same directory, then a move). */
    public static void save(Map<String, Parameter> params, Path file) throws IOException {
        Objects.requireNonNull(params, "params");
        Format format = Format.of(file);
        NDManager base = anyArray(params).getManager();
        try (NDManager tmp = base.newSubManager()) {
            NDList list = new NDList();
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray a = e.getValue().getArray().duplicate();
                a.attach(tmp);
                a.setName(e.getKey());
                list.add(a);
            }
            AtomicFiles.write(file, out -> list.encode(out, format.encoding));
        }
    }

    private static NDArray anyArray(Map<String, Parameter> params) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("params: expected at least one parameter, got none");
        }
        Parameter p = params.values().iterator().next();
        if (!p.isInitialized()) {
            throw new IllegalArgumentException("params: expected initialised parameters (call initialize first), got "
                    + p.getName() + " without an array");
        }
        return p.getArray();
    }

    /** createTempFile makes owner-only files; the final file gets ordinary rw-r--r-- permissions. */
}
