/** SDK version, written into every model card. Keep in step with package.json (checked by a test). */
export const SDK_VERSION = '0.1.0'
