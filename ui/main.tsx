/** UI entry (built into dist/ui.html as an inline IIFE). */
import { render } from 'preact'
import { App } from './app.js'

render(<App />, document.getElementById('app')!)
