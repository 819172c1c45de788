#!/usr/bin/env node
// The latentype CLI. The SDK is TypeScript; tsx compiles it on the fly.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../sdk/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
