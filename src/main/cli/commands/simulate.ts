/**
 * `chronicle simulate --devices N --rate R`: N simulated devices join the hub of the app or `chronicle serve`
 * running on the same data directory, so a person can watch live sync and device status. Ctrl-C stops them
 * after each has persisted what it made.
 */
import { startSimulatedDevice, type SimulatedDevice } from '../../simulator/simulated-device'
import { readHubAddress } from '../../sync/hub-address'
import { EXIT, intOption, type CommandContext } from '../command-context'

export async function simulateCommand(context: CommandContext): Promise<number> {
  const { options, output } = context
  const count = intOption(options.devices, 'devices', 1, 50) ?? 3
  const rate = intOption(options.rate, 'rate', 1, 100) ?? 1
  const hub = readHubAddress(options.dataDir)
  if (typeof hub === 'string') {
    output.err(`chronicle simulate: ${hub}`)
    return EXIT.failure
  }
  const report = (device: string, action: string) =>
    output.out(
      options.json
        ? JSON.stringify({ at: new Date().toISOString(), device, action })
        : `${device}: ${action}`,
    )
  const devices: SimulatedDevice[] = []
  let stopping = false
  const stop = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  }).then(() => (stopping = true))
  for (let index = 0; index < count && !stopping; index += 1) {
    devices.push(await startSimulatedDevice({ dataDir: options.dataDir, hub, index, rate, onAction: report }))
    report(devices.at(-1)!.name, 'connected')
  }
  output.err(`${devices.length} simulated devices syncing with ${hub.url}; press Ctrl-C to stop.`)
  await stop
  output.err('Stopping: each device persists what it made, then disconnects…')
  await Promise.all(devices.map((device) => device.stop()))
  return EXIT.ok
}
