/**
 * Every module of the graph builder can be the first one a program imports: each file is loaded on its own in a
 * fresh Node process (a new module graph), so an import cycle that reads a binding before it is initialised
 * (ReferenceError: Cannot access … before initialization) fails here, whatever order the other tests import in.
 */
import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const dirs = ['sdk/graph', 'sdk/graph/ops']
const files = dirs.flatMap((d) => readdirSync(`${root}/${d}`).filter((f) => f.endsWith('.ts')).map((f) => `${d}/${f}`))

/** Imports one file first in a new process; resolves to its stderr ('' when it loaded). */
async function importFirst(file: string): Promise<string> {
  const url = pathToFileURL(`${root}/${file}`).href
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `await import(${JSON.stringify(url)})`], { cwd: root, timeout: 60_000 })
    return ''
  } catch (e) {
    return (e as { stderr?: string }).stderr || String(e)
  }
}

describe('graph modules load in any order', () => {
  it('lists the op files', () => {
    expect(files).toContain('sdk/graph/ops/conv.ts')
    expect(files).toContain('sdk/graph/graph.ts')
  })

  it('each sdk/graph and sdk/graph/ops file imports cleanly as the first module of a fresh process', async () => {
    const failures: string[] = []
    // two at a time: each child starts its own TypeScript loader
    for (let i = 0; i < files.length; i += 2) {
      const pair = files.slice(i, i + 2)
      const errs = await Promise.all(pair.map(importFirst))
      pair.forEach((f, k) => {
        const line = errs[k]!.split('\n').find((l) => /Error/.test(l))
        if (errs[k]) failures.push(`${f}: ${line ?? errs[k]!.slice(0, 300)}`)
      })
    }
    expect(failures).toEqual([])
  }, 180_000)
})
