#!/usr/bin/env node
// The latentype CLI. Installed from npm it runs the compiled dist/ (no TypeScript at run time). In a clone of the
// repository, where sdk/ sources sit beside it, it runs those through tsx instead, so development never sees a
// stale build.
import { existsSync } from 'node:fs'

const sources = new URL('../sdk/cli/main.ts', import.meta.url)
let cli
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api')
  register()
  cli = (await import(sources.href)).cli
} else {
  cli = (await import('../dist/cli/main.js')).cli
}
process.exitCode = await cli(process.argv.slice(2))
