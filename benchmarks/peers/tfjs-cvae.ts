/**
 * tfjs peer for `npm run bench:train`: the same CVAE (layers, sizes, loss, Adam) in @tensorflow/tfjs on a given
 * backend ('wasm' by default). Returns images/s, or the error when the backend cannot train the model
 * (tfjs-backend-wasm has no Conv2DBackpropFilter kernel).
 */
import type { CvaeSpec } from '../../sdk/model/spec.js'

export async function tfjsImagesPerSec(spec: CvaeSpec, batch: number, steps: number, backend = 'wasm'): Promise<{ imagesPerSec?: number; error?: string; backend: string }> {
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
  const dfc = dense(spec.latentSize + K, spec.decoder.hidden)
  const grid = dense(spec.decoder.hidden, dc[0]! * s0 * s0)
  const outs = [...dc.slice(1), spec.channels]
  const dec = dc.map((inCh, i) => [v([4, 4, outs[i]!, inCh], Math.sqrt(3 / (16 * inCh))), tf.variable(tf.zeros([outs[i]!])), v([K, outs[i]!], 0.01)] as const)
  const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([batch, S, S, spec.channels]), 0.2), 'float32'))
  const c = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % K), 'int32'), K).toFloat()
  const opt = tf.train.adam(1e-3)
  const lossFn = () => {
    let h: import('@tensorflow/tfjs').Tensor4D = x as import('@tensorflow/tfjs').Tensor4D
    for (const [w, b] of enc) h = act(tf.add(tf.conv2d(h, w as import('@tensorflow/tfjs').Tensor4D, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]), b)) as import('@tensorflow/tfjs').Tensor4D
    const e = act(tf.add(tf.matMul(tf.concat([tf.reshape(h, [batch, -1]), c], 1), efc[0]), efc[1]))
    const m = tf.add(tf.matMul(e, mu[0]), mu[1])
    const l = tf.add(tf.matMul(e, lv[0]), lv[1])
    const z = tf.add(m, tf.mul(tf.exp(tf.mul(l, 0.5)), tf.randomNormal([batch, spec.latentSize])))
    let d = act(tf.add(tf.matMul(tf.concat([z, c], 1), dfc[0]), dfc[1]))
    d = act(tf.add(tf.matMul(d, grid[0]), grid[1]))
    let g = tf.transpose(tf.reshape(d, [batch, dc[0]!, s0, s0]), [0, 2, 3, 1]) as import('@tensorflow/tfjs').Tensor4D
    let sz = s0
    dec.forEach(([w, b, cb], i) => {
      sz *= 2
      let y = tf.conv2dTranspose(g, w as import('@tensorflow/tfjs').Tensor4D, [batch, sz, sz, outs[i]!], 2, 'same')
      y = tf.add(tf.add(y, b), tf.reshape(tf.matMul(c, cb), [batch, 1, 1, outs[i]!]))
      g = (i < dec.length - 1 ? act(y) : y) as import('@tensorflow/tfjs').Tensor4D
    })
    const rec = tf.sum(tf.sub(tf.softplus(g), tf.mul(x, g)))
    const kl = tf.sum(tf.mul(0.5, tf.sub(tf.add(tf.square(m), tf.exp(l)), tf.add(l, 1))))
    return tf.div(tf.add(rec, kl), batch) as import('@tensorflow/tfjs').Scalar
  }
  try {
    for (let i = 0; i < 2; i++) {
      const l = opt.minimize(lossFn, true)
      if (l) tf.dispose(l)
    }
    const t0 = performance.now()
    for (let i = 0; i < steps; i++) {
      const l = opt.minimize(lossFn, true)
      if (l) {
        await l.data()
        tf.dispose(l)
      }
    }
    return { imagesPerSec: (batch * steps) / ((performance.now() - t0) / 1000), backend }
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0], backend }
  }
}
