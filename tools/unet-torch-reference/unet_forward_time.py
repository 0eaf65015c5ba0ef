#!/usr/bin/env python3
"""PyTorch eager forward time of the issue's two MNIST U-Nets, for comparison with UNetForwardBenchmark.

The network is improved-diffusion's UNetModel (unet.py) with the arguments the issue names, written out here
compactly (same layers, same order, same parameter count as sdk-image's UNet2D, which the script checks):
  small:      model_channels 32, channel_mult (1, 2, 2), 1 res block, attention at ds 2, 2 heads
  production: model_channels 64, channel_mult (1, 2, 2), 2 res blocks, attention at ds 2, 4 heads
both with scale-shift norm, 10 classes, learned sigma (2 output channels), 28x28 single-channel input.

Timing matches the Java benchmark: inference forward under torch.no_grad, median of RUNS after WARMUP, one
process per thread count. Weights are random (time does not depend on them).

    python3 unet_forward_time.py --threads 1 --batches 1,16,64 --configs small,production
    python3 unet_forward_time.py --trace-dir DIR   # also saves TorchScript traces for the DJL comparison

Needs torch (Debian 12: apt-get install python3-torch, which gives PyTorch 1.13.1).
"""
import argparse
import math
import os
import statistics
import time

import torch
from torch import nn
import torch.nn.functional as F

CONFIGS = {
    "small": dict(mc=32, mult=(1, 2, 2), res=1, attn=(2,), heads=2),
    "production": dict(mc=64, mult=(1, 2, 2), res=2, attn=(2,), heads=4),
}


class Norm(nn.GroupNorm):
    """GroupNorm32: 32 groups, computed in float32."""

    def __init__(self, ch):
        super().__init__(32, ch)

    def forward(self, x):
        return super().forward(x.float()).type(x.dtype)


class ResBlock(nn.Module):
    def __init__(self, ch, emb_ch, out_ch):
        super().__init__()
        self.in_layers = nn.Sequential(Norm(ch), nn.SiLU(), nn.Conv2d(ch, out_ch, 3, padding=1))
        self.emb_layers = nn.Sequential(nn.SiLU(), nn.Linear(emb_ch, 2 * out_ch))
        self.out_norm = Norm(out_ch)
        self.out_rest = nn.Sequential(nn.SiLU(), nn.Dropout(0.0), nn.Conv2d(out_ch, out_ch, 3, padding=1))
        self.skip = nn.Identity() if ch == out_ch else nn.Conv2d(ch, out_ch, 1)

    def forward(self, x, emb):
        h = self.in_layers(x)
        emb_out = self.emb_layers(emb).type(h.dtype)[..., None, None]
        scale, shift = torch.chunk(emb_out, 2, dim=1)  # scale-shift norm (FiLM)
        h = self.out_rest(self.out_norm(h) * (1 + scale) + shift)
        return self.skip(x) + h


class Attention(nn.Module):
    def __init__(self, ch, heads):
        super().__init__()
        self.heads = heads
        self.norm = Norm(ch)
        self.qkv = nn.Conv1d(ch, 3 * ch, 1)
        self.proj_out = nn.Conv1d(ch, ch, 1)

    def forward(self, x, emb):
        b, c, hh, ww = x.shape
        x = x.reshape(b, c, -1)
        qkv = self.qkv(self.norm(x)).reshape(b * self.heads, -1, hh * ww)
        ch = qkv.shape[1] // 3
        q, k, v = torch.split(qkv, ch, dim=1)  # improved-diffusion's legacy [q | k | v] per head
        scale = 1 / math.sqrt(math.sqrt(ch))
        w = torch.einsum("bct,bcs->bts", q * scale, k * scale)
        w = torch.softmax(w.float(), dim=-1).type(w.dtype)
        h = torch.einsum("bts,bcs->bct", w, v).reshape(b, -1, hh * ww)
        return (x + self.proj_out(h)).reshape(b, c, hh, ww)


class Down(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.op = nn.Conv2d(ch, ch, 3, stride=2, padding=1)

    def forward(self, x, emb):
        return self.op(x)


class Up(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv = nn.Conv2d(ch, ch, 3, padding=1)

    def forward(self, x, emb):
        return self.conv(F.interpolate(x, scale_factor=2, mode="nearest"))


class Seq(nn.ModuleList):
    def forward(self, x, emb):
        for layer in self:
            x = layer(x, emb)
        return x


class InConv(nn.Conv2d):
    def forward(self, x, emb):
        return super().forward(x)


class UNet(nn.Module):
    def __init__(self, mc, mult, res, attn, heads, in_ch=1, out_ch=2, classes=10):
        super().__init__()
        self.mc = mc
        ted = 4 * mc
        self.time_embed = nn.Sequential(nn.Linear(mc, ted), nn.SiLU(), nn.Linear(ted, ted))
        self.label_emb = nn.Embedding(classes, ted)
        self.input_blocks = nn.ModuleList([Seq([InConv(in_ch, mc, 3, padding=1)])])
        chans, ch, ds = [mc], mc, 1
        for level, m in enumerate(mult):
            for _ in range(res):
                layers = [ResBlock(ch, ted, m * mc)]
                ch = m * mc
                if ds in attn:
                    layers.append(Attention(ch, heads))
                self.input_blocks.append(Seq(layers))
                chans.append(ch)
            if level != len(mult) - 1:
                self.input_blocks.append(Seq([Down(ch)]))
                chans.append(ch)
                ds *= 2
        self.middle_block = Seq([ResBlock(ch, ted, ch), Attention(ch, heads), ResBlock(ch, ted, ch)])
        self.output_blocks = nn.ModuleList()
        for level, m in list(enumerate(mult))[::-1]:
            for i in range(res + 1):
                layers = [ResBlock(ch + chans.pop(), ted, m * mc)]
                ch = m * mc
                if ds in attn:
                    layers.append(Attention(ch, heads))
                if level and i == res:
                    layers.append(Up(ch))
                    ds //= 2
                self.output_blocks.append(Seq(layers))
        self.out = nn.Sequential(Norm(ch), nn.SiLU(), nn.Conv2d(mc, out_ch, 3, padding=1))

    def forward(self, x, t, y):
        half = self.mc // 2
        freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32) / half)
        args = t[:, None].float() * freqs[None]
        emb = self.time_embed(torch.cat([torch.cos(args), torch.sin(args)], dim=-1)) + self.label_emb(y)
        hs, h = [], x
        for block in self.input_blocks:
            h = block(h, emb)
            hs.append(h)
        h = self.middle_block(h, emb)
        for block in self.output_blocks:
            h = block(torch.cat([h, hs.pop()], dim=1), emb)
        return self.out(h)


def inputs(batch):
    g = torch.Generator().manual_seed(batch)
    x = torch.randn(batch, 1, 28, 28, generator=g)
    t = torch.tensor([(i * 37) % 1000 for i in range(batch)], dtype=torch.int64)
    y = torch.tensor([i % 10 for i in range(batch)], dtype=torch.int64)
    return x, t, y


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--batches", default="1,16,64")
    p.add_argument("--configs", default="small,production")
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--trace-dir", help="save a TorchScript trace per config and batch here")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, intra-op threads {torch.get_num_threads()}, "
          f"mkldnn {torch.backends.mkldnn.is_available()}, cores {os.cpu_count()}")
    print("| config | params | batch | median ms | min ms | images/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in a.configs.split(","):
        net = UNet(**CONFIGS[name]).eval()
        params = sum(q.numel() for q in net.parameters())
        for batch in (int(b) for b in a.batches.split(",")):
            x, t, y = inputs(batch)
            with torch.no_grad():
                if a.trace_dir:
                    os.makedirs(a.trace_dir, exist_ok=True)
                    torch.jit.trace(net, (x, t, y)).save(os.path.join(a.trace_dir, f"unet-{name}-b{batch}.pt"))
                ms = []
                for i in range(a.warmup + a.runs):
                    t0 = time.perf_counter()
                    net(x, t, y)
                    if i >= a.warmup:
                        ms.append((time.perf_counter() - t0) * 1000)
            print(f"| {name} | {params:,} | {batch} | {statistics.median(ms):.1f} | {min(ms):.1f} | "
                  f"{batch * 1000 / statistics.median(ms):.0f} |", flush=True)


if __name__ == "__main__":
    main()
