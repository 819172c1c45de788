/**
 * tfjs peer for `npm run bench:train`: the same CVAE (layers, sizes, spatial latent, per-class decoder bias, loss,
 * Adam) in @tensorflow/tfjs on a given backend ('wasm' by default). Returns images/s and the parameter count, or the
 * error when the backend cannot train the model.
 *
 * tfjs-backend-wasm has no Conv2DBackpropFilter kernel, so the stock gradients of tf.conv2d / tf.conv2dTranspose
 * w.r.t. the filter fail there. The convolutions therefore carry a tf.customGrad whose gradients use only kernels
 * wasm has (PadV2, Transpose, Slice, GatherV2, Pack, Conv2D; Conv2DBackpropInput only off the k4 s2 p1 geometry):
 * the filter gradient is a stride-1 conv with dilation = stride over batch-transposed tensors ({@link convFilterGrad});
 * the input gradient of the k4 s2 p1 conv is four stride-1 2×2 convs on the padded dy, interleaved by a transpose
 * ({@link convInputGrad}; wasm's Conv2DBackpropInput is a scalar loop, 3–8× slower than XNNPACK's Conv2D). The
 * forward ops are unchanged (tf.conv2d, tf.conv2dTranspose), so the model and its math are the same as with the stock
 * gradients (opts.subpixelConvTranspose swaps the decoder's forward for the sub-pixel form too).
 *
 * Run as a script (`tsx benchmarks/peers/tfjs-cvae.ts '<json>'`) it is the child of {@link tfjsImagesPerSecBoxed}.
 */
import { spawn } from 'node:child_process'
import { resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'
import { latentParts, type CvaeSpec } from '../../sdk/model/spec.js'

type TF = typeof import('@tensorflow/tfjs')
type Tensor4D = import('@tensorflow/tfjs').Tensor4D
type GradSave = (save: import('@tensorflow/tfjs').Tensor[]) => void
/** [top, bottom, left, right] zero padding of a conv's input. */
export type Pads = [number, number, number, number]

export interface TfjsResult {
  imagesPerSec?: number
  error?: string
  backend: string
  /** true when the time budget ran out before all requested steps finished; imagesPerSec comes from the steps that did */
  partial?: boolean
  /** steps imagesPerSec was measured over */
  steps?: number
  /** trained values of the model (absent when the boxed child was killed before reporting) */
  params?: number
}

export interface TfjsOptions {
  /** soft time budget (ms, from the call): no step is started that would be expected to end past it */
  budgetMs?: number
  /** called after each finished step (warm-up steps included) */
  onStep?: (info: { step: number; warmup: boolean; ms: number }) => void
  /**
   * compute the decoder's conv2dTranspose forward with the sub-pixel convs of {@link convInputGrad} instead of
   * tf.conv2dTranspose (same math; off by default so the forward pass stays stock tfjs)
   */
  subpixelConvTranspose?: boolean
}

/**
 * Conv2DBackpropFilter of y = conv2d(x, w, stride s, pads) (NHWC, w [kh, kw, Cin, Cout]) from kernels tfjs-wasm has:
 * dW[i, j, c, o] = Σ_{n,p,q} xpad[n, s·p + i, s·q + j, c] · dy[n, p, q, o] is a stride-1 conv with dilation s of
 * xpadᵀ [Cin, Hp, Wp, N] (channels as batch) with dyᵀ [Ho, Wo, N, Cout] as filter, giving [Cin, ≥kh, ≥kw, Cout].
 */
export function convFilterGrad(tf: TF, x: Tensor4D, dy: Tensor4D, k: [number, number], s: number, pads: Pads): Tensor4D {
  return tf.tidy(() => {
    const [t, b, l, r] = pads
    const xp = t || b || l || r ? tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]]) : x
    const a = tf.transpose(xp, [3, 1, 2, 0]) as Tensor4D
    const f = tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D
    let o = tf.conv2d(a, f, 1, 'valid', 'NHWC', s)
    if (o.shape[1] !== k[0] || o.shape[2] !== k[1]) o = tf.slice(o, [0, 0, 0, 0], [-1, k[0], k[1], -1])
    return tf.transpose(o, [1, 2, 0, 3]) as Tensor4D
  })
}

/**
 * Conv2DBackpropInput of y = conv2d(x, w, stride s, pads). For the k4 s2 p1 conv with even sizes (the CVAE's) it is
 * sub-pixel: output phase (a, b) of dx is a stride-1 2×2 conv of the 1-padded dy with the taps w[3−a−2r, 3−b−2c]
 * transposed (rows: a=0 → k 3,1 from offset 0; a=1 → k 2,0 from offset 1), and a transpose interleaves the four.
 * Other geometries use tf.conv2dTranspose (wasm Conv2DBackpropInput).
 */
export function convInputGrad(tf: TF, dy: Tensor4D, w: Tensor4D, xShape: [number, number, number, number], s: number, pads: Pads): Tensor4D {
  const [, H, W] = xShape
  const subpixel = s === 2 && w.shape[0] === 4 && w.shape[1] === 4 && pads.every((p) => p === 1) && H % 2 === 0 && W % 2 === 0 && dy.shape[1] === H / 2 && dy.shape[2] === W / 2
  if (!subpixel) return tf.conv2dTranspose(dy, w, xShape, s, [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]] as never)
  return tf.tidy(() => {
    const dyp = tf.pad(dy, [[0, 0], [1, 1], [1, 1], [0, 0]])
    const wt = tf.transpose(w, [0, 1, 3, 2]) // [kh, kw, Cout, Cin]
    const taps = [tf.tensor1d([3, 1], 'int32'), tf.tensor1d([2, 0], 'int32')]
    const phases: Tensor4D[] = []
    for (const a of [0, 1]) {
      const rows = tf.gather(wt, taps[a]!, 0)
      for (const b of [0, 1]) {
        const f = tf.gather(rows, taps[b]!, 1) as Tensor4D // [2, 2, Cout, Cin]
        const win = tf.slice(dyp, [0, a, b, 0], [-1, H / 2 + 1, W / 2 + 1, -1]) as Tensor4D
        phases.push(tf.conv2d(win, f, 1, 'valid'))
      }
    }
    // interleave: dx[n, 2i + a, 2j + b, c] = phase (a, b)[n, i, j, c] (wasm's DepthToSpace is ~8× slower than this)
    const [N, , , C] = xShape
    return tf.reshape(tf.transpose(tf.reshape(tf.stack(phases, 3), [N, H / 2, W / 2, 2, 2, C]), [0, 1, 3, 2, 4, 5]), xShape) as Tensor4D
  })
}

/** y = conv2d(x, w, s, pads) with wasm-safe gradients for x and w; `x` given here is a constant (gradient for w only). */
export function conv2dWasmGrad(tf: TF, s: number, pads: Pads, constX?: Tensor4D) {
  const pad = [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]] as [[number, number], [number, number], [number, number], [number, number]]
  const k = (w: Tensor4D): [number, number] => [w.shape[0], w.shape[1]]
  if (constX) {
    return tf.customGrad((w, save) => {
      ;(save as GradSave)([w as Tensor4D])
      return { value: tf.conv2d(constX, w as Tensor4D, s, pad), gradFunc: (dy) => [convFilterGrad(tf, constX, dy as Tensor4D, k(w as Tensor4D), s, pads)] }
    }) as (w: Tensor4D) => Tensor4D
  }
  return tf.customGrad((x, w, save) => {
    ;(save as GradSave)([x as Tensor4D, w as Tensor4D])
    return {
      value: tf.conv2d(x as Tensor4D, w as Tensor4D, s, pad),
      gradFunc: (dy, [sx, sw]) => [convInputGrad(tf, dy as Tensor4D, sw as Tensor4D, (sx as Tensor4D).shape, s, pads), convFilterGrad(tf, sx as Tensor4D, dy as Tensor4D, k(sw as Tensor4D), s, pads)],
    }
  }) as (x: Tensor4D, w: Tensor4D) => Tensor4D
}

/**
 * y = conv2dTranspose(g, w, outShape, s, 'same') (w [kh, kw, Cout, Cin]) with wasm-safe gradients: it is the input
 * gradient of a conv y → g, so dg = conv2d(dy, w, s, 'same') and dw = Conv2DBackpropFilter(x = dy, dy = g).
 */
export function conv2dTransposeWasmGrad(tf: TF, outShape: [number, number, number, number], s: number, subpixelForward = false) {
  const [, H, W] = outShape
  const same = (n: number, k: number): [number, number] => {
    const tot = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0)
    return [Math.floor(tot / 2), tot - Math.floor(tot / 2)]
  }
  return tf.customGrad((g, w, save) => {
    ;(save as GradSave)([g as Tensor4D, w as Tensor4D])
    return {
      value: subpixelForward ? convInputGrad(tf, g as Tensor4D, w as Tensor4D, outShape, s, [...same(H, (w as Tensor4D).shape[0]), ...same(W, (w as Tensor4D).shape[1])]) : tf.conv2dTranspose(g as Tensor4D, w as Tensor4D, outShape, s, 'same'),
      gradFunc: (dy, [sg, sw]) => {
        const [kh, kw] = (sw as Tensor4D).shape
        return [tf.conv2d(dy as Tensor4D, sw as Tensor4D, s, 'same'), convFilterGrad(tf, dy as Tensor4D, sg as Tensor4D, [kh, kw], s, [...same(H, kh), ...same(W, kw)])]
      },
    }
  }) as (g: Tensor4D, w: Tensor4D) => Tensor4D
}

export async function tfjsImagesPerSec(spec: CvaeSpec, batch: number, steps: number, backend = 'wasm', opts: TfjsOptions = {}): Promise<TfjsResult> {
  const tStart = performance.now()
  const tf = await import('@tensorflow/tfjs')
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm')
  await tf.setBackend(backend)
  await tf.ready()
  const S = spec.imageSize
  const K = spec.numClasses
  const alpha = spec.activation.type === 'leaky_relu' ? spec.activation.alpha : 0
  const act = (x: import('@tensorflow/tfjs').Tensor) => (spec.activation.type === 'none' ? x : tf.leakyRelu(x, alpha))
  const v = (shape: number[], scale: number) => tf.variable(tf.randomUniform(shape, -scale, scale))
  const enc: [import('@tensorflow/tfjs').Variable, import('@tensorflow/tfjs').Variable][] = []
  let ch = spec.channels
  for (const out of spec.encoder.conv) {
    enc.push([v([4, 4, ch, out], Math.sqrt(3 / (16 * ch))), tf.variable(tf.zeros([out]))])
    ch = out
  }
  const side = S / 2 ** spec.encoder.conv.length
  const dense = (i: number, o: number) => [v([i, o], Math.sqrt(3 / i)), tf.variable(tf.zeros([o]))] as const
  const efc = dense(ch * side * side + K, spec.encoder.hidden)
  const mu = dense(spec.encoder.hidden, spec.latentSize)
  const lv = dense(spec.encoder.hidden, spec.latentSize)
  const dc = spec.decoder.conv
  const s0 = S / 2 ** dc.length
  // spatial latent: z's last parts.grid values, as a [channels, s0, s0] grid, join the first map's channels
  const parts = latentParts(spec)
  if (parts.level !== 0) throw new Error(`the tfjs peer joins the latent grid to the first decoder map only; this spec puts it on the ${parts.side}² map (spatialLatent.side) — benchmark a spec without side`)
  const dfc = dense(parts.global + K, spec.decoder.hidden)
  const grid = dense(spec.decoder.hidden, dc[0]! * s0 * s0)
  const outs = [...dc.slice(1), spec.channels]
  const ins = [dc[0]! + parts.channels, ...dc.slice(1)]
  const dec = ins.map((inCh, i) => [v([4, 4, outs[i]!, inCh], Math.sqrt(3 / (16 * inCh))), tf.variable(tf.zeros([outs[i]!])), spec.classBias ? v([K, outs[i]!], 0.01) : null] as const)
  const params = [...enc.flat(), ...efc, ...mu, ...lv, ...dfc, ...grid, ...dec.flat()].reduce((n, t) => n + (t ? t.size : 0), 0)
  const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([batch, S, S, spec.channels]), 0.2), 'float32')) as Tensor4D
  const c = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % K), 'int32'), K).toFloat()
  // k4 s2 p1 convs (explicit pad 1 = 'same' here) with wasm-safe custom gradients; the first conv's input is data
  const P1: Pads = [1, 1, 1, 1]
  const encConv = enc.map((_, i) => (i === 0 ? null : conv2dWasmGrad(tf, 2, P1) as (x: Tensor4D, w: Tensor4D) => Tensor4D))
  const encConv0 = conv2dWasmGrad(tf, 2, P1, x) as (w: Tensor4D) => Tensor4D
  const decConv = dec.map((_, i) => conv2dTransposeWasmGrad(tf, [batch, s0 * 2 ** (i + 1), s0 * 2 ** (i + 1), outs[i]!], 2, opts.subpixelConvTranspose))
  const opt = tf.train.adam(1e-3)
  const lossFn = () => {
    let h: Tensor4D = x
    enc.forEach(([w, b], i) => {
      h = act(tf.add(i === 0 ? encConv0(w as Tensor4D) : encConv[i]!(h, w as Tensor4D), b)) as Tensor4D
    })
    const e = act(tf.add(tf.matMul(tf.concat([tf.reshape(h, [batch, -1]), c], 1), efc[0]), efc[1]))
    const m = tf.add(tf.matMul(e, mu[0]), mu[1])
    const l = tf.add(tf.matMul(e, lv[0]), lv[1])
    const z = tf.add(m, tf.mul(tf.exp(tf.mul(l, 0.5)), tf.randomNormal([batch, spec.latentSize])))
    const zGlobal = parts.grid ? tf.slice(z, [0, 0], [batch, parts.global]) : z
    let d = act(tf.add(tf.matMul(tf.concat([zGlobal, c], 1), dfc[0]), dfc[1]))
    d = act(tf.add(tf.matMul(d, grid[0]), grid[1]))
    let first = tf.reshape(d, [batch, dc[0]!, s0, s0])
    if (parts.grid) first = tf.concat([first, tf.reshape(tf.slice(z, [0, parts.global], [batch, parts.grid]), [batch, parts.channels, s0, s0])], 1)
    let g = tf.transpose(first, [0, 2, 3, 1]) as Tensor4D
    dec.forEach(([w, b, cb], i) => {
      let y = decConv[i]!(g, w as Tensor4D) as import('@tensorflow/tfjs').Tensor
      y = tf.add(y, b)
      if (cb) y = tf.add(y, tf.reshape(tf.matMul(c, cb), [batch, 1, 1, outs[i]!]))
      g = (i < dec.length - 1 ? act(y) : y) as Tensor4D
    })
    const rec = tf.sum(tf.sub(tf.softplus(g), tf.mul(x, g)))
    const kl = tf.sum(tf.mul(0.5, tf.sub(tf.add(tf.square(m), tf.exp(l)), tf.add(l, 1))))
    return tf.div(tf.add(rec, kl), batch) as import('@tensorflow/tfjs').Scalar
  }
  const WARMUP = 2
  const times: { warmup: boolean; ms: number }[] = []
  try {
    for (let i = 0; i < WARMUP + steps; i++) {
      const warmup = i < WARMUP
      if (opts.budgetMs !== undefined && times.length > 0) {
        const last = times.at(-1)!.ms
        if (performance.now() - tStart + last > opts.budgetMs) break
      }
      const t = performance.now()
      const l = opt.minimize(lossFn, true)
      if (l) {
        await l.data()
        tf.dispose(l)
      }
      const ms = performance.now() - t
      times.push({ warmup, ms })
      opts.onStep?.({ step: i, warmup, ms })
    }
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0], backend }
  }
  return { ...summarize(times, batch, steps, backend, opts.budgetMs), params }
}

/** images/s from per-step times: the timed (post-warm-up) steps, else — budget spent in warm-up — the warm-up steps. */
function summarize(times: { warmup: boolean; ms: number }[], batch: number, steps: number, backend: string, budgetMs?: number): TfjsResult {
  const timed = times.filter((t) => !t.warmup)
  const used = timed.length > 0 ? timed : times.filter((t, i) => !t.warmup || i > 0 || times.length === 1)
  if (used.length === 0) return { error: `no training step finished within the ${((budgetMs ?? 0) / 1000).toFixed(0)} s budget (< ${(batch / ((budgetMs ?? 1) / 1000)).toFixed(2)} img/s)`, backend, partial: true, steps: 0 }
  const ms = used.reduce((s, t) => s + t.ms, 0)
  const r: TfjsResult = { imagesPerSec: (batch * used.length) / (ms / 1000), backend, steps: used.length }
  if (timed.length < steps) r.partial = true
  return r
}

/**
 * {@link tfjsImagesPerSec} in a child process with a hard time budget: the child stops starting steps that would end
 * past budgetMs, and is killed at budgetMs + 2 s if one step overruns it; images/s then comes from the steps that
 * finished (partial: true).
 */
export function tfjsImagesPerSecBoxed(spec: CvaeSpec, batch: number, steps: number, backend: string, budgetMs: number): Promise<TfjsResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), JSON.stringify({ spec, batch, steps, backend, budgetMs })], { stdio: ['ignore', 'pipe', 'inherit'] })
    const times: { warmup: boolean; ms: number }[] = []
    let result: TfjsResult | undefined
    let killed = false
    let buf = ''
    child.stdout.setEncoding('utf8')
    child.stdout.on('data', (d: string) => {
      buf += d
      let nl: number
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim()
        buf = buf.slice(nl + 1)
        if (!line.startsWith('{')) continue
        const j = JSON.parse(line) as { step?: number; warmup: boolean; ms: number; result?: TfjsResult }
        if (j.result) result = j.result
        else times.push({ warmup: j.warmup, ms: j.ms })
      }
    })
    const timer = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
    }, budgetMs + 2000)
    child.on('close', (code) => {
      clearTimeout(timer)
      if (result) return resolve(result)
      if (killed) return resolve(summarize(times, batch, steps, backend, budgetMs))
      resolve({ error: `tfjs child exited with code ${code}`, backend })
    })
  })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolvePath(process.argv[1])) {
  const a = JSON.parse(process.argv[2]!) as { spec: CvaeSpec; batch: number; steps: number; backend: string; budgetMs?: number }
  const r = await tfjsImagesPerSec(a.spec, a.batch, a.steps, a.backend, { budgetMs: a.budgetMs, onStep: (s) => console.log(JSON.stringify(s)) })
  console.log(JSON.stringify({ result: r }))
}
