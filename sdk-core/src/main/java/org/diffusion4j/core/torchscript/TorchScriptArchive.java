package org.diffusion4j.core.torchscript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.diffusion4j.core.io.AtomicFiles;

/**
 * Writes a TorchScript module file (what {@code torch.jit.save} writes and {@code torch.jit.load} or DJL's
 * {@code Model.load} read) for one module class whose state is a set of named float32 tensors and whose
 * {@code forward} is TorchScript source. No Python is involved: the archive is a zip of
 * <ul>
 *   <li>{@code <name>/version}: the serialisation format version ({@value #FORMAT_VERSION});</li>
 *   <li>{@code <name>/code/__torch__.py}: the class definition, with the tensors declared as buffers;</li>
 *   <li>{@code <name>/data.pkl}: the module object, pickled (protocol 2): {@code __torch__.<Class>} built with a
 *       dict of attributes, each tensor as {@code torch._utils._rebuild_tensor_v2} over a persistent storage
 *       reference {@code ('storage', torch.FloatStorage, key, 'cpu', numel)};</li>
 *   <li>{@code <name>/data/<key>}: each storage's raw little-endian bytes;</li>
 *   <li>{@code <name>/constants.pkl}: the (empty) tuple of code constants.</li>
 * </ul>
 * The layout is that of archives written by PyTorch 1.13; libtorch 2.7.1 reads them. Tensors are stored as
 * buffers, not parameters: the module is for inference and nothing in it requires gradients.
 */
public final class TorchScriptArchive {

    /** Archive format version written to {@code version} (PyTorch 1.13 writes 3 for such modules). */
    public static final int FORMAT_VERSION = 3;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String className;
    private final Map<String, Tensor> tensors;
    private final String forwardSignature;
    private final String forwardBody;

    private TorchScriptArchive(Builder b) {
        this.className = b.className;
        this.tensors = new LinkedHashMap<>(b.tensors);
        this.forwardSignature = Objects.requireNonNull(b.forwardSignature, "forward signature (call forward(...))");
        this.forwardBody = Objects.requireNonNull(b.forwardBody, "forward body (call forward(...))");
    }

    /** A float32 tensor: {@code data} in row-major order for {@code shape}. */
    public record Tensor(float[] data, long[] shape) {
        public Tensor {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(shape, "shape");
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("shape: expected dimensions >= 0, got " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("data: expected " + n + " values for shape " + Arrays.toString(shape)
                        + ", got " + data.length);
            }
            shape = shape.clone();
        }
    }

    public static Builder builder(String className) {
        return new Builder(className);
    }

    public String className() {
        return className;
    }

    /** The TorchScript source of {@code code/__torch__.py}. */
    public String source() {
        StringBuilder sb = new StringBuilder();
        sb.append("class ").append(className).append("(Module):\n");
        sb.append("  __parameters__ = []\n");
        sb.append("  __buffers__ = [");
        for (String name : tensors.keySet()) {
            sb.append('"').append(name).append("\", ");
        }
        sb.append("]\n");
        for (String name : tensors.keySet()) {
            sb.append("  ").append(name).append(" : Tensor\n");
        }
        sb.append("  training : bool\n");
        sb.append("  def forward(self: __torch__.").append(className).append(",\n    ")
                .append(forwardSignature).append(":\n");
        sb.append(forwardBody);
        return sb.toString();
    }

    /** Writes the archive to {@code file} atomically (a temporary file beside it, then a rename). */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, out -> write(out, archiveName(file)));
    }

    /** The top-level folder inside the zip: the file name without extension, as torch.jit.save does. */
    static String archiveName(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String base = dot > 0 ? n.substring(0, dot) : n;
        return base.replaceAll("[^A-Za-z0-9_]", "_");
    }

    void write(OutputStream sink, String root) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(sink)) {
            stored(zip, root + "/version", (FORMAT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII));
            stored(zip, root + "/data.pkl", dataPickle());
            ZipEntry code = new ZipEntry(root + "/code/__torch__.py");
            zip.putNextEntry(code);
            zip.write(source().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            stored(zip, root + "/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // PROTO 2, EMPTY_TUPLE, STOP
            int key = 0;
            for (Tensor t : tensors.values()) {
                ByteBuffer bb = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().put(t.data());
                stored(zip, root + "/data/" + key++, bb.array());
            }
        }
    }

    private static void stored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED); // as torch.jit.save: tensor data uncompressed, readable in place
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** The module object: {@code __torch__.<Class>()} with its state dict of tensors and {@code training}. */
    byte[] dataPickle() {
        Pickler p = new Pickler();
        p.proto();
        p.global("__torch__", className);
        p.op(Pickler.EMPTY_TUPLE);
        p.op(Pickler.NEWOBJ);
        p.op(Pickler.EMPTY_DICT);
        p.op(Pickler.MARK);
        int key = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            p.unicode(e.getKey());
            p.global("torch._utils", "_rebuild_tensor_v2");
            p.op(Pickler.MARK);
            p.op(Pickler.MARK);
            p.unicode("storage");
            p.global("torch", "FloatStorage");
            p.unicode(Integer.toString(key++));
            p.unicode("cpu");
            p.integer(t.data().length);
            p.op(Pickler.TUPLE);
            p.op(Pickler.BINPERSID);
            p.integer(0); // storage offset
            p.tuple(t.shape());
            p.tuple(contiguousStrides(t.shape()));
            p.op(Pickler.NEWFALSE); // requires_grad
            p.global("collections", "OrderedDict");
            p.op(Pickler.EMPTY_TUPLE);
            p.op(Pickler.REDUCE); // backward hooks: OrderedDict()
            p.op(Pickler.TUPLE);
            p.op(Pickler.REDUCE);
        }
        p.unicode("training");
        p.op(Pickler.NEWFALSE);
        p.op(Pickler.SETITEMS);
        p.op(Pickler.BUILD);
        p.op(Pickler.STOP);
        return p.bytes();
    }

    static long[] contiguousStrides(long[] shape) {
        long[] s = new long[shape.length];
        long step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = step;
            step *= shape[i];
        }
        return s;
    }

    /** Builder: class name, named tensors (identifiers, in order) and the forward method. */
    public static final class Builder {
        private final String className;
        private final Map<String, Tensor> tensors = new LinkedHashMap<>();
        private String forwardSignature;
        private String forwardBody;

        private Builder(String className) {
            this.className = identifier("className", className);
        }

        /** Adds a float32 buffer {@code self.<name>}. */
        public Builder tensor(String name, float[] data, long... shape) {
            identifier("name", name);
            if (name.equals("training") || tensors.containsKey(name)) {
                throw new IllegalArgumentException("name: expected a new attribute name, got " + name + " twice or reserved");
            }
            tensors.put(name, new Tensor(data, shape));
            return this;
        }

        /**
         * The forward method: {@code parameters} after {@code self}, e.g. {@code "x: Tensor, t: Tensor) -> Tensor"}
         * (closing parenthesis and return type included), and the body lines, each indented by four spaces and ending
         * in a newline.
         */
        public Builder forward(String parametersAndReturn, String body) {
            Objects.requireNonNull(parametersAndReturn, "parametersAndReturn");
            Objects.requireNonNull(body, "body");
            if (!body.endsWith("\n")) {
                throw new IllegalArgumentException("body: expected lines ending in a newline");
            }
            this.forwardSignature = parametersAndReturn;
            this.forwardBody = body;
            return this;
        }

        public TorchScriptArchive build() {
            return new TorchScriptArchive(this);
        }

        private static String identifier(String what, String s) {
            if (s == null || !IDENTIFIER.matcher(s).matches()) {
                throw new IllegalArgumentException(what + ": expected a Python identifier, got " + s);
            }
            return s;
        }
    }

    /** The few pickle (protocol 2) opcodes a module object needs. */
    static final class Pickler {
        static final byte MARK = '(';
        static final byte STOP = '.';
        static final byte TUPLE = 't';
        static final byte EMPTY_TUPLE = ')';
        static final byte EMPTY_DICT = '}';
        static final byte SETITEMS = 'u';
        static final byte BUILD = 'b';
        static final byte REDUCE = 'R';
        static final byte NEWOBJ = (byte) 0x81;
        static final byte NEWFALSE = (byte) 0x89;
        static final byte BINPERSID = 'Q';

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void proto() {
            out.write(0x80);
            out.write(2);
        }

        void op(byte code) {
            out.write(code);
        }

        void global(String module, String name) {
            out.write('c');
            byte[] s = (module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8);
            out.write(s, 0, s.length);
        }

        void unicode(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write('X'); // BINUNICODE: 4-byte little-endian length, then UTF-8
            writeInt32(b.length);
            out.write(b, 0, b.length);
        }

        void integer(long v) {
            if (v >= 0 && v < 256) {
                out.write('K'); // BININT1
                out.write((int) v);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                out.write('J'); // BININT: 4-byte signed little-endian
                writeInt32((int) v);
            } else {
                out.write(0x8a); // LONG1: length byte, then little-endian two's complement
                out.write(8);
                for (int i = 0; i < 8; i++) {
                    out.write((int) (v >>> (8 * i)) & 0xff);
                }
            }
        }

        void tuple(long[] values) {
            op(MARK);
            for (long v : values) {
                integer(v);
            }
            op(TUPLE);
        }

        private void writeInt32(int v) {
            for (int i = 0; i < 4; i++) {
                out.write((v >>> (8 * i)) & 0xff);
            }
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** Names in insertion order (tests and diagnostics). */
    public List<String> tensorNames() {
        return new ArrayList<>(tensors.keySet());
    }
}
