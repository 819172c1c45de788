/** vitest globalSetup: prints the whole suite's wall-clock duration when it ends (`npm test`, CI logs). */
export default function setup(): () => void {
  const t0 = performance.now()
  return () => {
    const s = (performance.now() - t0) / 1000
    console.log(`\nlatentype test suite: ${s.toFixed(1)} s wall clock (${(s / 60).toFixed(1)} min)`)
  }
}
