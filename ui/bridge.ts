/** Typed messages to and from the main thread (plugin/protocol.ts), over Figma's parent.postMessage. */
import type { MainHandlers, MainMessage, UiMessage } from '../plugin/protocol.js'

export function postToMain(message: UiMessage): void {
  parent.postMessage({ pluginMessage: message }, '*')
}

/** Subscribes to main-thread messages; returns the unsubscribe function. */
export function onMainMessage(handlers: Partial<MainHandlers>): () => void {
  const listener = (e: MessageEvent): void => {
    const msg = (e.data as { pluginMessage?: MainMessage } | null)?.pluginMessage
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return
    const h = handlers[msg.type] as ((m: MainMessage) => void) | undefined
    h?.(msg)
  }
  window.addEventListener('message', listener)
  return () => window.removeEventListener('message', listener)
}
