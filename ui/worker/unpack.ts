/** Payloads embedded in ui.html (ORT wasm, models, the worker script) are gzip + base64; this undoes both. */

type WithFromBase64 = typeof Uint8Array & { fromBase64?: (s: string) => Uint8Array }

export function base64ToBytes(b64: string): Uint8Array {
  const native = (Uint8Array as WithFromBase64).fromBase64
  if (native) return native(b64.trim())
  const bin = atob(b64.trim())
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

export async function unpack(b64: string): Promise<Uint8Array> {
  return gunzip(base64ToBytes(b64))
}
