import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { connectApi } from './api/connect-api'
import { App } from './app'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App api={connectApi()} />
  </StrictMode>,
)
