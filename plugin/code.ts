/**
 * The plugin's main-thread entry (built to dist/code.js). Figma provides `figma` and `__html__`; the build
 * defines `__LATENTYPE_MODELS__` from the model cards it embeds.
 */
import type { PluginAPI } from '@figma/plugin-typings/plugin-api-standalone'
import type { FigmaApi } from './figma-api.js'
import { startPlugin } from './main.js'
import type { ModelInfo } from './protocol.js'

declare const figma: PluginAPI
declare const __html__: string
declare const __LATENTYPE_MODELS__: ModelInfo[]

const api: FigmaApi = figma
startPlugin({ figma: api, html: __html__, models: __LATENTYPE_MODELS__ })
