package org.diffusion4j.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipFile;

/**
 * Reads named tensors from the files PyTorch users exchange: safetensors, NumPy .npz (both through DJL's
 * {@code NDList} codec) and {@code torch.save} state dicts ({@link PyTorchCheckpoint}). The format is recognised by
 * content, not by name: a zip archive with a {@code data.pkl} entry is a PyTorch file, anything else goes to DJL.
 */
public final class TensorFiles {

    private TensorFiles() {
    }

    /** Every tensor of {@code file} by name, in file order, as arrays of {@code manager}. */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        if (isTorchSave(file)) {
            return PyTorchCheckpoint.read(file, manager);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), manager);
        }
    }

    /**
     * Every tensor of a safetensors or .npz stream by name, in stream order, as arrays of {@code manager} (a
     * {@code torch.save} archive needs random access: pass it as a file). {@code source} names the stream in messages.
     */
    public static Map<String, NDArray> read(InputStream in, String source, NDManager manager) throws IOException {
        NDList list;
        try {
            list = NDList.decode(manager, in);
        } catch (RuntimeException e) {
            throw new IOException(source + ": not a safetensors, npz or torch.save file (" + e.getMessage() + ")", e);
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (NDArray a : list) {
            if (a.getName() == null || out.put(a.getName(), a) != null) {
                throw new IOException(source + ": expected uniquely named tensors, got "
                        + (a.getName() == null ? "an unnamed one" : "two named " + a.getName()));
            }
        }
        return out;
    }

    /**
     * The tensors whose names start with {@code prefix}, renamed without it: a training checkpoint saved as
     * {@code {"model": state_dict, "optimizer": ...}} reads as {@code model.*} names, and {@code under(t, "model.")}
     * gives the state dict.
     */
    public static Map<String, NDArray> under(Map<String, NDArray> tensors, String prefix) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                out.put(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        return out;
    }

    private static boolean isTorchSave(Path file) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 4) < 4 || head[0] != 'P' || head[1] != 'K') {
                return false;
            }
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.stream().anyMatch(e -> e.getName().equals("data.pkl") || e.getName().endsWith("/data.pkl"));
        } catch (java.util.zip.ZipException e) {
            return false;
        }
    }
}
