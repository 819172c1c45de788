#!/usr/bin/env python3
"""PyTorch peer for `npm run bench:train`: the same CVAE as sdk/model/cvae.ts, built from the same CvaeSpec JSON
(spatial latent and per-class decoder bias included).

usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 benchmarks/peers/torch_cvae.py '<spec json>' --batch 128 --steps 10 --threads 2
Prints one JSON line: {"images_per_s": ..., "params": ..., "threads": ...}; with --params-only just {"params": ...}. Loss, optimizer and data match ours:
BCE-with-logits summed over pixels + KL, batch mean; Adam; binary targets; one-hot classes.
"""
import argparse, json, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F


def act(spec):
    a = spec["activation"]
    if a["type"] == "relu":
        return nn.ReLU()
    if a["type"] == "leaky_relu":
        return nn.LeakyReLU(a["alpha"])
    return nn.Identity()


class Cvae(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.s = s
        K, S, C = s["numClasses"], s["imageSize"], s["channels"]
        chans = [C] + s["encoder"]["conv"]
        self.enc_conv = nn.ModuleList(nn.Conv2d(chans[i], chans[i + 1], 4, 2, 1) for i in range(len(chans) - 1))
        side = S // 2 ** len(s["encoder"]["conv"])
        self.enc_fc = nn.Linear(chans[-1] * side * side + K, s["encoder"]["hidden"])
        self.mu = nn.Linear(s["encoder"]["hidden"], s["latentSize"])
        self.logvar = nn.Linear(s["encoder"]["hidden"], s["latentSize"])
        dc = s["decoder"]["conv"]
        self.side0 = S // 2 ** len(dc)
        # spatial latent: the last grid_ch·s0² values of z form a [grid_ch, s0, s0] grid joined to the first map's channels
        self.grid_ch = (s.get("spatialLatent") or {}).get("channels", 0)
        if (s.get("spatialLatent") or {}).get("side", self.side0) != self.side0:
            raise ValueError("the PyTorch peer joins the latent grid to the first decoder map only; this spec sets spatialLatent.side — benchmark a spec without side")
        self.global_size = s["latentSize"] - self.grid_ch * self.side0 ** 2
        self.dec_fc = nn.Linear(self.global_size + K, s["decoder"]["hidden"])
        self.dec_grid = nn.Linear(s["decoder"]["hidden"], dc[0] * self.side0 ** 2)
        outs = dc[1:] + [C]
        ins = [dc[0] + self.grid_ch] + dc[1:]
        self.deconv = nn.ModuleList(nn.ConvTranspose2d(ins[i], outs[i], 4, 2, 1) for i in range(len(dc)))
        self.class_bias = nn.ModuleList(nn.Linear(K, outs[i], bias=False) for i in range(len(dc))) if s["classBias"] else None
        self.act = act(s)

    def forward(self, x, c, eps):
        h = x
        for conv in self.enc_conv:
            h = self.act(conv(h))
        h = self.act(self.enc_fc(torch.cat([h.flatten(1), c], 1)))
        mu, logvar = self.mu(h), self.logvar(h)
        z = mu + torch.exp(0.5 * logvar) * eps
        h = self.act(self.dec_fc(torch.cat([z[:, : self.global_size], c], 1)))
        h = self.act(self.dec_grid(h)).view(-1, self.s["decoder"]["conv"][0], self.side0, self.side0)
        if self.grid_ch:
            h = torch.cat([h, z[:, self.global_size :].reshape(-1, self.grid_ch, self.side0, self.side0)], 1)
        for i, dconv in enumerate(self.deconv):
            h = dconv(h)
            if self.class_bias is not None:
                h = h + self.class_bias[i](c)[:, :, None, None]
            if i < len(self.deconv) - 1:
                h = self.act(h)
        rec = F.binary_cross_entropy_with_logits(h, x, reduction="none").sum((1, 2, 3))
        kl = 0.5 * (mu * mu + logvar.exp() - 1 - logvar).sum(1)
        return (rec + kl).mean()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("spec")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--params-only", action="store_true", help="print the parameter count and exit")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    s = json.loads(a.spec)
    model = Cvae(s)
    if a.params_only:
        print(json.dumps({"params": sum(p.numel() for p in model.parameters()), "torch": torch.__version__}))
        return 0
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    B, S, K, L = a.batch, s["imageSize"], s["numClasses"], s["latentSize"]
    x = (torch.rand(B, s["channels"], S, S) < 0.2).float()
    c = F.one_hot(torch.arange(B) % K, K).float()
    for i in range(a.warmup + a.steps):
        if i == a.warmup:
            t0 = time.perf_counter()
        eps = torch.randn(B, L)
        loss = model(x, c, eps)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    dt = time.perf_counter() - t0
    params = sum(p.numel() for p in model.parameters())
    print(json.dumps({"images_per_s": B * a.steps / dt, "params": params, "threads": a.threads, "loss": float(loss), "torch": torch.__version__}))


if __name__ == "__main__":
    sys.exit(main())
