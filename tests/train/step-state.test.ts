/** The step state: the learning-rate schedule's shape, and what goes into and comes back from a step graph. */
import { describe, expect, it } from 'vitest'
import { ADAM_INPUTS } from '../../sdk/train/adam.js'
import { TRAIN_IO } from '../../sdk/train/graphs.js'
import { scheduledLr, StepState } from '../../sdk/train/step-state.js'

describe('scheduledLr', () => {
  it('warms up linearly, then decays by a cosine to peak·minFactor at the last step; constant stays at the peak', () => {
    const s = { peak: 1e-3, total: 110, warmupSteps: 10, minFactor: 0.1 }
    expect(scheduledLr(s, 5)).toBeCloseTo(5e-4, 12)
    expect(scheduledLr(s, 10)).toBeCloseTo(1e-3, 12)
    expect(scheduledLr(s, 60)).toBeCloseTo(1e-3 * (0.1 + 0.9 * 0.5), 12) // halfway down the cosine
    expect(scheduledLr(s, 110)).toBeCloseTo(1e-4, 12)
    expect(scheduledLr({ ...s, shape: 'constant' }, 100)).toBe(1e-3)
    expect(scheduledLr({ peak: 2, total: 10 }, 1)).toBeLessThan(2) // no warm-up: decays from the first step
  })
})

describe('StepState', () => {
  const params = [{ name: 'w', shape: [2], init: Float32Array.of(1, 2) }, { name: 'b', shape: [1], init: Float32Array.of(3) }]

  it('feeds weights, zero moments and the Adam scalars of the step, and takes the next/… outputs as the new state', () => {
    const state = new StepState(params, { weightDecay: 0.5 })
    params[0]!.init[0] = 9 // the state holds a copy
    const feeds = state.feeds(1, 0.1)
    expect([...feeds.w!.data]).toEqual([1, 2])
    expect(feeds.w!.dims).toEqual([2])
    expect([...feeds[TRAIN_IO.m('b')]!.data]).toEqual([0])
    expect(feeds[ADAM_INPUTS.decay]!.data[0]).toBeCloseTo(1 - 0.1 * 0.5, 6)
    expect(feeds[ADAM_INPUTS.stepSize]!.dims).toEqual([])
    expect(state.outputNames).toEqual(['next/w', 'next/adam.m/w', 'next/adam.v/w', 'next/b', 'next/adam.m/b', 'next/adam.v/b'])
    const out = Object.fromEntries(state.outputNames.map((k, i) => [k, Float32Array.of(i, i)]))
    state.advance(out)
    expect([...state.weights().get('w')!]).toEqual([0, 0])
    expect([...state.weightFeeds([params[1]!]).b!.data]).toEqual([3, 3])
    expect([...state.tensors.keys()]).toEqual(['w', 'adam.m/w', 'adam.v/w', 'b', 'adam.m/b', 'adam.v/b']) // the checkpoint order
  })
})
