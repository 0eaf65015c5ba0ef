package org.diffusion4j.image.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.diffusion4j.image.nn.Conv;
import org.diffusion4j.image.nn.GroupNorm;
import org.diffusion4j.core.memory.Scalars;

/**
 * unet.py's {@code AttentionBlock} + {@code QKVAttention}: spatial self-attention over the H·W positions.
 * {@code qkv} is a 1×1 Conv1d to 3C channels whose output is reshaped to [B·heads, 3C/heads, T]: within
 * each head the channels are [q | k | v] (this "legacy" ordering matters for loading checkpoints).
 * Weights are softmax(q·k / sqrt(C/heads)) with the 1/sqrt scale split over q and k as in the reference;
 * {@code proj_out} is zero-initialised and the block is residual.
 */
final class AttentionBlock extends EmbeddedLayer {

    private final int channels;
    private final int heads;
    private final GroupNorm norm;
    private final Conv qkv;
    private final Conv projOut;

    AttentionBlock(int channels, int heads, int groups) {
        this.channels = channels;
        this.heads = heads;
        this.norm = child("norm", new GroupNorm(groups, channels, GroupNorm.DEFAULT_EPS));
        this.qkv = child("qkv", new Conv(1, channels, 3 * channels, 1, 1, 0, false));
        this.projOut = child("proj_out", new Conv(1, channels, channels, 1, 1, 0, true));
    }

    @Override
    int outChannels() {
        return channels;
    }

    @Override
    NDArray apply(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(2) * s.get(3);
        NDArray flat = x.reshape(b, channels, t);
        NDArray n = norm.forward(ps, new NDList(flat), training).head();
        NDArray qkvOut = qkv.forward(ps, new NDList(n), training).head().reshape(b * heads, 3L * channels / heads, t);
        long ch = channels / heads;
        NDList qkvSplit = qkvOut.split(3, 1); // [q | k | v] per head, each [B·heads, C/heads, T]; one call
        NDArray q = qkvSplit.get(0);
        NDArray k = qkvSplit.get(1);
        NDArray v = qkvSplit.get(2);
        float scale = (float) (1.0 / Math.sqrt(Math.sqrt(ch)));
        // weight[b, t, s] = sum_c q[b, c, t] k[b, c, s]  (einsum "bct,bcs->bts")
        NDArray w = Scalars.mul(q, scale).transpose(0, 2, 1).batchMatMul(Scalars.mul(k, scale)).softmax(-1);
        // out[b, c, t] = sum_s w[b, t, s] v[b, c, s]  (einsum "bts,bcs->bct")
        NDArray a = v.batchMatMul(w.transpose(0, 2, 1)).reshape(b, channels, t);
        NDArray h = projOut.forward(ps, new NDList(a), training).head();
        return flat.add(h).reshape(s);
    }

    @Override
    String script(UNet2DScript s, String prefix, String x) {
        String n = s.let("torch.size(" + x + ", 0)");
        String hh = s.let("torch.size(" + x + ", 2)");
        String ww = s.let("torch.size(" + x + ", 3)");
        String flat = s.let("torch.reshape(" + x + ", [" + n + ", " + channels + ", -1])");
        String qkvOut = s.conv(qkv, prefix + "qkv.", s.groupNorm(norm, prefix + "norm.", flat));
        long ch = channels / heads;
        String split = s.let("torch.reshape(" + qkvOut + ", [torch.mul(" + n + ", " + heads + "), " + 3 * ch + ", -1])");
        float scale = (float) (1.0 / Math.sqrt(Math.sqrt(ch)));
        String q = s.let("torch.mul(torch.slice(" + split + ", 1, 0, " + ch + "), " + UNet2DScript.number(scale) + ")");
        String k = s.let("torch.mul(torch.slice(" + split + ", 1, " + ch + ", " + 2 * ch + "), " + UNet2DScript.number(scale) + ")");
        String v = s.let("torch.slice(" + split + ", 1, " + 2 * ch + ", " + 3 * ch + ")");
        String w = s.let("torch.softmax(torch.bmm(torch.transpose(" + q + ", 1, 2), " + k + "), -1)");
        String a = s.let("torch.reshape(torch.bmm(" + v + ", torch.transpose(" + w + ", 1, 2)), [" + n + ", " + channels + ", -1])");
        String h = s.conv(projOut, prefix + "proj_out.", a);
        return s.let("torch.reshape(torch.add(" + flat + ", " + h + "), [" + n + ", " + channels + ", " + hh + ", " + ww + "])");
    }
}
