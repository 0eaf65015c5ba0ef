package org.diffusion4j.image.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.diffusion4j.core.nn.Convolutions;
import org.diffusion4j.core.nn.TimestepEmbedding;
import org.diffusion4j.core.torchscript.TorchScriptArchive;
import org.diffusion4j.image.nn.Conv;
import org.diffusion4j.image.nn.GroupNorm;

/**
 * A {@link UNet2D} with its current weights as a TorchScript module: the same forward written out as straight-line
 * TorchScript (one line per op, generated from the network's own layers) with every parameter as a buffer. Run by
 * libtorch's interpreter, a forward is one native call instead of about 600 calls from Java, which is what makes
 * batch-1 sampling slow in DJL (docs/benchmarks.md, "U-Net forward"). {@link CompiledUNet} loads it.
 *
 * <p>The module's {@code forward(x, t[, y])} takes x [B, C, H, W] float32, t [B] (any numeric type) and, for a
 * class-conditional network, y [B] int64, and returns what {@link UNet2D#forward} returns. Convolutions keep
 * {@link Convolutions}' channel padding (weights stored padded, inputs padded and outputs sliced in the code), so
 * the module is safe from the oneDNN padding bug on CPU as the eager network is. Inference only: dropout is left
 * out and no tensor requires gradients.
 */
public final class UNet2DScript {

    /** The module's class name inside the archive. */
    public static final String CLASS_NAME = "UNet2DScript";

    private final Map<String, Parameter> params;
    private final TorchScriptArchive.Builder archive = TorchScriptArchive.builder(CLASS_NAME);
    private final StringBuilder body = new StringBuilder();
    private int next;
    private String emb;

    private UNet2DScript(UNet2D net) {
        this.params = net.namedParameters();
    }

    /** The archive for {@code net} with its current weights. */
    public static TorchScriptArchive archive(UNet2D net) {
        UNet2DScript s = new UNet2DScript(net);
        String out = net.script(s);
        s.body.append("    return ").append(out).append('\n');
        String signature = net.config().classConditional() ? "x: Tensor,\n    t: Tensor,\n    y: Tensor) -> Tensor"
                : "x: Tensor,\n    t: Tensor) -> Tensor";
        return s.archive.forward(signature, s.body.toString()).build();
    }

    /** Writes {@link #archive(UNet2D)} to {@code file} atomically. */
    public static void write(UNet2D net, Path file) throws IOException {
        archive(net).write(file);
    }

    // ---- helpers the layers call while writing their lines ----

    /** Emits {@code vN = expr} and returns {@code vN}. */
    String let(String expr) {
        String v = "v" + next++;
        body.append("    ").append(v).append(" = ").append(expr).append('\n');
        return v;
    }

    /** The variable holding SiLU(embedding) [B, E] (see {@link EmbeddedLayer}). */
    String emb() {
        return emb;
    }

    void emb(String variable) {
        this.emb = variable;
    }

    /** {@code self.<name>} for the parameter {@code torchName}, stored with its current values. */
    String tensor(String torchName) {
        NDArray a = parameter(torchName).getArray();
        return tensor(torchName, a.toFloatArray(), a.getShape().getShape());
    }

    String tensor(String torchName, float[] data, long[] shape) {
        String name = "p_" + torchName.replace('.', '_');
        archive.tensor(name, data, shape);
        return "self." + name;
    }

    private Parameter parameter(String torchName) {
        Parameter p = params.get(torchName);
        if (p == null || p.getArray() == null) {
            throw new IllegalStateException("parameter " + torchName + " is missing or not initialised; initialise the network first");
        }
        return p;
    }

    /** {@code torch.linear} with {@code prefix + weight/bias} (a {@code Dense}). */
    String linear(String prefix, String x) {
        return let("torch.linear(" + x + ", " + tensor(prefix + "weight") + ", " + tensor(prefix + "bias") + ")");
    }

    /** GroupNorm in float32 with per-channel affine: one {@code torch.group_norm}. */
    String groupNorm(GroupNorm gn, String prefix, String x) {
        return let("torch.group_norm(" + x + ", " + gn.groups() + ", " + tensor(prefix + "weight") + ", "
                + tensor(prefix + "bias") + ", " + number(gn.eps()) + ")");
    }

    /**
     * A convolution with {@link Convolutions}' CPU channel padding: the weight (and bias) are stored zero-padded to the
     * padded channel counts, the input gets zero channels appended and the extra output channels are sliced away.
     */
    String conv(Conv conv, String prefix, String x) {
        NDArray w = parameter(prefix + "weight").getArray();
        NDArray b = parameter(prefix + "bias").getArray();
        int dims = conv.dims();
        long in = conv.inChannels();
        long out = conv.outChannels();
        long inP = Convolutions.paddedInput(in, conv.stride(), conv.kernel());
        long outP = Convolutions.padded(out);
        int taps = (int) Math.pow(conv.kernel(), dims);
        float[] wv = w.toFloatArray();
        float[] bv = b.toFloatArray();
        float[] wp = new float[(int) (outP * inP * taps)];
        float[] bp = new float[(int) outP];
        for (int o = 0; o < out; o++) {
            System.arraycopy(wv, (int) (o * in * taps), wp, (int) (o * inP * taps), (int) (in * taps));
            bp[o] = bv[o];
        }
        long[] ws = dims == 1 ? new long[] {outP, inP, conv.kernel()} : new long[] {outP, inP, conv.kernel(), conv.kernel()};
        String wRef = tensor(prefix + "weight", wp, ws);
        String bRef = tensor(prefix + "bias", bp, new long[] {outP});
        String input = x;
        if (inP > in) {
            input = let("torch.constant_pad_nd(" + x + ", [" + (dims == 1 ? "0, 0" : "0, 0, 0, 0") + ", 0, " + (inP - in) + "])");
        }
        String s = Integer.toString(conv.stride());
        String p = Integer.toString(conv.padding());
        String y = dims == 1
                ? let("torch.conv1d(" + input + ", " + wRef + ", " + bRef + ", [" + s + "], [" + p + "], [1], 1)")
                : let("torch.conv2d(" + input + ", " + wRef + ", " + bRef + ", [" + s + ", " + s + "], [" + p + ", " + p + "], [1, 1], 1)");
        return outP > out ? let("torch.slice(" + y + ", 1, 0, " + out + ")") : y;
    }

    /** The sinusoidal timestep embedding of {@link TimestepEmbedding#sinusoidal}: cos then sin of t·freqs. */
    String timestepEmbedding(String t, int dim) {
        int half = dim / 2;
        float[] freqs = new float[half];
        for (int i = 0; i < half; i++) {
            freqs[i] = (float) Math.exp(-Math.log(TimestepEmbedding.DEFAULT_MAX_PERIOD) * i / half);
        }
        String f = tensor("timestep_frequencies", freqs, new long[] {1, half});
        String args = let("torch.mul(torch.unsqueeze(torch.to(" + t + ", 6), 1), " + f + ")"); // 6 = float32
        String e = let("torch.cat([torch.cos(" + args + "), torch.sin(" + args + ")], 1)");
        return dim % 2 == 1 ? let("torch.constant_pad_nd(" + e + ", [0, 1])") : e;
    }

    /** A float literal TorchScript parses back to the same value (Java's shortest round-trip form, lower-case e). */
    static String number(float v) {
        if (!Float.isFinite(v)) {
            throw new IllegalArgumentException("v: expected a finite number, got " + v);
        }
        return Float.toString(v).replace('E', 'e');
    }
}
