/**
 * How the fuzz test feeds inputs to a host and judges the answers, each input named so a finding says which one:
 * raw inputs one connection each, frames on a good WebSocket followed by a marker pull that proves the hub
 * handled them.
 */
import type { Input } from './adversarial-frames'
import type { HttpContext, RawInput } from './adversarial-http'
import type { FuzzFindings } from './fuzz-findings'
import { rawExchange, type FuzzSocket } from './fuzz-wire'

/** Stalls after which a run of frames stops: each costs the marker's timeout. */
const MAX_STALLS = 5
const MARKER_TIMEOUT_MS = 2_000

/** Called after each input (or batch) with whether the host answered it. */
type AfterEach = (label: string, answered: boolean) => Promise<void>

/**
 * Raw inputs made for the host `target` names (it changes when a crashed process is started again). An upgrade
 * that must be refused and was answered 101 is a finding, and so is a 5xx.
 */
export async function sendRaw(
  findings: FuzzFindings,
  target: () => HttpContext,
  make: (ctx: HttpContext) => RawInput[],
  afterEach?: AfterEach,
) {
  let ctx = target()
  let inputs = make(ctx)
  for (let i = 0; i < inputs.length; i += 1) {
    if (target().port !== ctx.port) inputs = make((ctx = target()))
    const input = inputs[i] as RawInput
    findings.sending(input.label)
    const answer = await rawExchange(ctx.port, input.chunks, 500)
    if (input.refused && answer.status === 101) findings.add('accepted: answered 101 Switching Protocols')
    if (answer.status !== null && answer.status >= 500) findings.add(`answered ${answer.status}`)
    await afterEach?.(input.label, answer.status !== null)
  }
}

/**
 * Frames on a good connection, `batch` at a time, each batch followed by a marker pull. A connection the hub
 * closed (a frame over its size limit, a protocol error) is an answer and gets a new one; a marker not answered
 * on an open connection is a stall, and that connection is dropped too. With `replay`, a batch during which an
 * error went uncaught or the connection closed is sent again one frame at a time, so a finding names its frame
 * and no frame after a closing one goes untried.
 */
export async function sendFrames(
  findings: FuzzFindings,
  inputs: Iterable<Input>,
  connect: () => Promise<FuzzSocket>,
  { batch = 1, replay = true, afterEach }: { batch?: number; replay?: boolean; afterEach?: AfterEach } = {},
) {
  let socket: FuzzSocket | null = null
  let stalls = 0
  const pending = groups(inputs, batch)
  for (;;) {
    // Connected before the next input is made: inputs made lazily see what connecting changed.
    if (!socket?.isOpen()) socket = await connect()
    const next = pending.next()
    if (next.done) break
    const group = next.value
    const label =
      group.length === 1 ? (group[0] as Input).label : `one of: ${group.map((i) => i.label).join(' | ')}`
    const mark = findings.mark()
    findings.sending(label)
    const uncaught = findings.whenUncaught()
    for (const input of group) socket.send(input.data)
    const outcome = await Promise.race([
      socket.settled(MARKER_TIMEOUT_MS).then((answered) => (answered ? 'answered' : 'silent')),
      uncaught.crashed.then(() => 'crashed'),
    ])
    uncaught.cancel()
    const closed = !socket.isOpen()
    // A handler that threw may have left the connection half-read: the next frames get a new one.
    if (outcome === 'crashed') await socket.close()
    if (replay && group.length > 1 && (outcome === 'crashed' || closed)) {
      findings.dropSince(mark)
      await sendFrames(findings, group, connect, { afterEach })
      continue
    }
    if (outcome === 'answered') await expectAnswers(findings, socket, group)
    if (outcome === 'silent' && !closed) {
      findings.add(`stalled: the next pull got no answer in ${MARKER_TIMEOUT_MS} ms`, label)
      await socket.close()
      if ((stalls += 1) === MAX_STALLS) {
        findings.add(`stopped after ${MAX_STALLS} stalls`)
        break
      }
    }
    await afterEach?.(label, outcome === 'answered')
  }
  await socket?.close()
}

/** Each request in `group` with an id the protocol allows got an answer, within a second after the marker's. */
async function expectAnswers(findings: FuzzFindings, socket: FuzzSocket, group: readonly Input[]) {
  const deadline = Date.now() + 1_000
  for (const input of group) {
    const id = input.answerTo
    if (id === undefined) continue
    while (!socket.answered(id) && socket.isOpen() && Date.now() < deadline) await sleep(10)
    if (!socket.answered(id) && socket.isOpen())
      findings.add(`request ${JSON.stringify(id)} got no answer (neither a chunk nor an exit)`, input.label)
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function* groups<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let group: T[] = []
  for (const item of items) {
    group.push(item)
    if (group.length < size) continue
    yield group
    group = []
  }
  if (group.length > 0) yield group
}
