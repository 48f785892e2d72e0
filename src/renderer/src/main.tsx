import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { connectApi } from './api/connect-api'
import { App } from './app'
import './styles.css'
// Last, once the page's code has run (earlier, it competes with that code for the CPU; later, it is on the way
// to the first row): starts LiveStore's shared worker while the page asks for its session and reads its state.
import './livestore/early-shared-worker'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App api={connectApi()} />
  </StrictMode>,
)
