package org.diffusion4j.image.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import org.diffusion4j.image.nn.Conv;
import org.diffusion4j.image.nn.Dense;
import org.diffusion4j.image.nn.GroupNorm;

/**
 * unet.py's {@code ResBlock}: {@code in_layers} = GroupNorm, SiLU, conv3×3; {@code emb_layers} = SiLU,
 * Linear(emb → C or 2C); {@code out_layers} = GroupNorm, SiLU, Dropout, zero conv3×3; skip = identity or
 * 1×1 conv. With scale-shift norm the embedding is split into (scale, shift) and applied as
 * {@code norm(h)·(1 + scale) + shift} before the SiLU (FiLM); otherwise it is added before the norm. The
 * embedding arrives activated (see {@link EmbeddedLayer}).
 */
final class ResBlock extends EmbeddedLayer {

    private final int outChannels;
    private final boolean scaleShift;
    private final float dropout;
    private final int groups;
    private final GroupNorm inNorm;
    private final Conv inConv;
    private final Dense embLinear;
    private final GroupNorm outNorm;
    private final Conv outConv;
    private final Conv skip;

    ResBlock(int channels, int embChannels, int outChannels, float dropout, boolean scaleShift, int groups) {
        this.outChannels = outChannels;
        this.scaleShift = scaleShift;
        this.dropout = dropout;
        this.groups = groups;
        this.inNorm = child("in_layers.0", new GroupNorm(groups, channels, GroupNorm.DEFAULT_EPS));
        this.inConv = child("in_layers.2", Conv.conv3x3(channels, outChannels));
        this.embLinear = child("emb_layers.1", new Dense(embChannels, scaleShift ? 2 * outChannels : outChannels));
        this.outNorm = child("out_layers.0", new GroupNorm(groups, outChannels, GroupNorm.DEFAULT_EPS));
        this.outConv = child("out_layers.3", new Conv(2, outChannels, outChannels, 3, 1, 1, true));
        this.skip = channels == outChannels ? null
                : child("skip_connection", new Conv(2, channels, outChannels, 1, 1, 0, false));
    }

    @Override
    int outChannels() {
        return outChannels;
    }

    @Override
    NDArray apply(ParameterStore ps, NDArray x, NDArray emb, boolean training) {
        NDArray h = inConv.forward(ps, new NDList(silu(inNorm.forward(ps, new NDList(x), training).head())), training).head();
        // emb is already SiLU(embedding) (EmbeddedLayer): emb_layers = SiLU, Linear
        NDArray e = embLinear.forward(ps, new NDList(emb), training).head();
        e = e.reshape(e.getShape().get(0), e.getShape().get(1), 1, 1);
        if (scaleShift) {
            NDList scaleShift = e.split(2, 1); // torch.chunk(emb_out, 2, dim=1): one call, two views
            NDArray scale = scaleShift.get(0);
            NDArray shift = scaleShift.get(1);
            h = outNorm.forward(ps, new NDList(h), training).head().mul(scale.add(1f)).add(shift);
            h = silu(h);
        } else {
            h = silu(outNorm.forward(ps, new NDList(h.add(e)), training).head());
        }
        if (training && dropout > 0) {
            h = h.getNDArrayInternal().dropout(h, dropout, true).head();
        }
        h = outConv.forward(ps, new NDList(h), training).head();
        NDArray s = skip == null ? x : skip.forward(ps, new NDList(x), training).head();
        return s.add(h);
    }

    int groups() {
        return groups;
    }

    @Override
    String script(UNet2DScript s, String prefix, String x) {
        String h = s.conv(inConv, prefix + "in_layers.2.", s.let("torch.silu(" + s.groupNorm(inNorm, prefix + "in_layers.0.", x) + ")"));
        String e = s.let("torch.unsqueeze(torch.unsqueeze(" + s.linear(prefix + "emb_layers.1.", s.emb()) + ", 2), 3)");
        if (scaleShift) {
            String scale = s.let("torch.slice(" + e + ", 1, 0, " + outChannels + ")");
            String shift = s.let("torch.slice(" + e + ", 1, " + outChannels + ", " + 2 * outChannels + ")");
            String n = s.groupNorm(outNorm, prefix + "out_layers.0.", h);
            h = s.let("torch.silu(torch.add(torch.mul(" + n + ", torch.add(" + scale + ", 1.)), " + shift + "))");
        } else {
            h = s.let("torch.silu(" + s.groupNorm(outNorm, prefix + "out_layers.0.", s.let("torch.add(" + h + ", " + e + ")")) + ")");
        }
        h = s.conv(outConv, prefix + "out_layers.3.", h);
        String skipped = skip == null ? x : s.conv(skip, prefix + "skip_connection.", x);
        return s.let("torch.add(" + skipped + ", " + h + ")");
    }
}
