package org.diffusion4j.core.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the tensors of a file written by PyTorch's {@code torch.save} (the zip format of PyTorch ≥ 1.6, e.g. an
 * improved-diffusion {@code model*.pt}/{@code ema_*.pt} or an lmnt-com/wavegrad {@code weights-*.pt}) without Python.
 *
 * <p>The file is a zip archive holding {@code <name>/data.pkl}, a pickle of the saved object in which every tensor
 * is {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)} (or wrapped in
 * {@code _rebuild_parameter}), and one entry {@code <name>/data/<key>} of raw little-endian bytes per storage.
 * Nested dicts are flattened with dots ({@code {"model": {"w": t}}} gives {@code "model.w"}); values that are not
 * tensors (a step counter, optimizer hyper-parameters, a config object) are skipped. Strided views are gathered
 * into contiguous arrays. Floating, integer and bool storages are read; anything the pickle needs that this reader
 * does not know (a quantised tensor, a sparse layout, a legacy pre-1.6 file) is refused with an exception that
 * names it.
 */
public final class PyTorchCheckpoint {

    private PyTorchCheckpoint() {
    }

    /** A tensor as the pickle describes it, before its storage is read. */
    private record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    private record StorageRef(String key, StorageType type, long numel) {
    }

    private enum StorageType {
        FloatStorage(DataType.FLOAT32, 4), DoubleStorage(DataType.FLOAT64, 8), HalfStorage(DataType.FLOAT16, 2),
        BFloat16Storage(DataType.BFLOAT16, 2), LongStorage(DataType.INT64, 8), IntStorage(DataType.INT32, 4),
        ShortStorage(DataType.INT16, 2), CharStorage(DataType.INT8, 1), ByteStorage(DataType.UINT8, 1),
        BoolStorage(DataType.BOOLEAN, 1);

        final DataType dataType;
        final int bytes;

        StorageType(DataType dataType, int bytes) {
            this.dataType = dataType;
            this.bytes = bytes;
        }
    }

    /**
     * Every tensor of {@code file}, by flattened name in file order, as arrays of {@code manager} (owned by
     * libtorch, of the dtype the file stores).
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        Objects.requireNonNull(manager, "manager");
        try (ZipFile zip = open(file)) {
            String prefix = archivePrefix(zip, file);
            ByteOrder order = byteOrder(zip, prefix, file);
            Object root;
            try {
                root = new Unpickler(entry(zip, prefix + "data.pkl", file), PyTorchCheckpoint::global,
                        PyTorchCheckpoint::persistentLoad).load();
            } catch (IOException | IllegalStateException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            Map<String, TensorRef> refs = new LinkedHashMap<>();
            flatten("", root, refs);
            if (refs.isEmpty()) {
                throw new IOException(file + ": expected a state dict of tensors, found no tensor (top level: "
                        + describe(root) + ")");
            }
            Map<String, byte[]> storages = new HashMap<>();
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                TensorRef t = e.getValue();
                byte[] raw = storages.get(t.storage().key());
                if (raw == null) {
                    raw = entry(zip, prefix + "data/" + t.storage().key(), file);
                    storages.put(t.storage().key(), raw);
                }
                out.put(e.getKey(), materialise(e.getKey(), t, raw, order, manager, file));
            }
            return out;
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new IOException(file + ": not a zip archive, so not a torch.save file of PyTorch >= 1.6 (legacy "
                    + "files: load and re-save them with a current PyTorch, or convert to safetensors)", e);
        }
    }

    private static String archivePrefix(ZipFile zip, Path file) throws IOException {
        for (ZipEntry e : java.util.Collections.list(zip.entries())) {
            String n = e.getName();
            if (n.endsWith("data.pkl") && (n.equals("data.pkl") || n.endsWith("/data.pkl"))) {
                return n.substring(0, n.length() - "data.pkl".length());
            }
        }
        throw new IOException(file + ": zip archive without a data.pkl entry: not a torch.save file");
    }

    private static ByteOrder byteOrder(ZipFile zip, String prefix, Path file) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) {
            return ByteOrder.LITTLE_ENDIAN; // files before the entry existed were written little-endian
        }
        String s = new String(entry(zip, prefix + "byteorder", file), StandardCharsets.US_ASCII).trim();
        return switch (s) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new IOException(file + ": byteorder entry: expected little or big, got " + s);
        };
    }

    private static byte[] entry(ZipFile zip, String name, Path file) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new IOException(file + ": missing zip entry " + name);
        }
        try (InputStream in = zip.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    private static Object global(String name) {
        return switch (name) {
            case "collections.OrderedDict" -> (Unpickler.PythonCallable) args -> new LinkedHashMap<>();
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> (Unpickler.PythonCallable) args -> {
                if (!(args.get(0) instanceof StorageRef s)) {
                    throw new IOException("pickle: _rebuild_tensor: expected a storage, got " + describe(args.get(0)));
                }
                return new TensorRef(s, (Long) args.get(1), longs(args.get(2)), longs(args.get(3)));
            };
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" ->
                    (Unpickler.PythonCallable) args -> args.get(0);
            default -> {
                if (name.startsWith("torch.") && name.endsWith("Storage")) {
                    String simple = name.substring("torch.".length());
                    for (StorageType t : StorageType.values()) {
                        if (t.name().equals(simple)) {
                            yield t;
                        }
                    }
                }
                yield null;
            }
        };
    }

    private static Object persistentLoad(Object pid) {
        // ('storage', storage_type, key, location, numel)
        if (pid instanceof List<?> l && l.size() == 5 && "storage".equals(l.get(0))) {
            if (!(l.get(1) instanceof StorageType type)) {
                throw new IllegalStateException("unsupported storage type " + describe(l.get(1))
                        + " (supported: " + java.util.Arrays.toString(StorageType.values()) + ")");
            }
            return new StorageRef(String.valueOf(l.get(2)), type, ((Number) l.get(4)).longValue());
        }
        throw new IllegalStateException("unsupported persistent id " + pid);
    }

    private static void flatten(String prefix, Object value, Map<String, TensorRef> out) {
        if (value instanceof TensorRef t) {
            out.put(prefix, t);
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                flatten(prefix.isEmpty() ? key : prefix + "." + key, e.getValue(), out);
            }
        }
    }

    private static NDArray materialise(String name, TensorRef t, byte[] raw, ByteOrder order, NDManager manager,
            Path file) throws IOException {
        StorageType type = t.storage().type();
        int dims = t.size().length;
        if (t.stride().length != dims) {
            throw new IOException(file + ": tensor " + name + ": size " + java.util.Arrays.toString(t.size())
                    + " and stride " + java.util.Arrays.toString(t.stride()) + " differ in rank");
        }
        long numel = 1;
        long maxIndex = t.offset();
        for (int d = 0; d < dims; d++) {
            numel *= t.size()[d];
            if (t.size()[d] > 0) {
                maxIndex += (t.size()[d] - 1) * t.stride()[d];
            }
        }
        long available = raw.length / type.bytes;
        if (numel > 0 && (t.offset() < 0 || maxIndex >= available)) {
            throw new IOException(file + ": tensor " + name + ": reads element " + maxIndex + " of a storage of "
                    + available + " elements (truncated file?)");
        }
        if (numel > Integer.MAX_VALUE / type.bytes) {
            throw new IOException(file + ": tensor " + name + ": " + numel + " elements, more than one Java array holds");
        }
        byte[] packed = new byte[(int) numel * type.bytes];
        long[] index = new long[dims];
        for (long i = 0; i < numel; i++) {
            long src = t.offset();
            for (int d = 0; d < dims; d++) {
                src += index[d] * t.stride()[d];
            }
            System.arraycopy(raw, (int) (src * type.bytes), packed, (int) (i * type.bytes), type.bytes);
            for (int d = dims - 1; d >= 0; d--) {
                if (++index[d] < t.size()[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        if (order == ByteOrder.BIG_ENDIAN && type.bytes > 1) {
            for (int i = 0; i < packed.length; i += type.bytes) {
                for (int a = i, b = i + type.bytes - 1; a < b; a++, b--) {
                    byte tmp = packed[a];
                    packed[a] = packed[b];
                    packed[b] = tmp;
                }
            }
        }
        ByteBuffer buf = ByteBuffer.allocateDirect(packed.length).order(ByteOrder.nativeOrder());
        buf.put(packed).rewind();
        try (NDArray javaBacked = manager.create(buf, new Shape(t.size()), type.dataType)) {
            NDArray owned = javaBacked.duplicate(); // libtorch-owned copy: see core.memory.NativeArrays
            owned.setName(name);
            return owned;
        }
    }

    private static long[] longs(Object o) {
        List<?> l = (List<?>) o;
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).longValue();
        }
        return out;
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Map<?, ?> m) {
            List<String> keys = new ArrayList<>();
            for (Object k : m.keySet()) {
                if (keys.size() == 8) {
                    keys.add("...");
                    break;
                }
                keys.add(String.valueOf(k));
            }
            return "dict with keys " + keys;
        }
        return o.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + o;
    }
}
