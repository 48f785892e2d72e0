/**
 * The only thing the page gets from Electron: one typed `call` into the API contract. No ipcRenderer, no Node,
 * no process.env; the main process validates every argument again on arrival.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { API_GLOBAL, API_IPC_CHANNEL, type ChronicleApi } from '../shared/api/contract'

const api: ChronicleApi = {
  call: (method, args) => ipcRenderer.invoke(API_IPC_CHANNEL, method, args),
}

contextBridge.exposeInMainWorld(API_GLOBAL, api)
