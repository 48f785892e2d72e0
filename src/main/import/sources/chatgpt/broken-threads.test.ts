/**
 * Message trees whose links are broken: the thread is recovered as far as the data allows, and every repair is a
 * problem of the read that names the conversation.
 */
import { describe, expect, it } from 'vitest'
import { useScratch } from '../../../repository/test-support/scratch'
import { linearConversation, readOne, writeExport } from './test-exports'

const scratch = useScratch()

/** 42 messages, n0 … n41, on one chain from `root`. */
const fortyTwo = (id: string) => linearConversation(id, 21)
const nodeIds = (count: number) => Array.from({ length: count }, (_, i) => `n${i}`)

async function readSingle(conversation: unknown) {
  const path = writeExport(scratch.dir(), [conversation])
  const { conversations, problems } = await readOne(path)
  expect(conversations).toHaveLength(1)
  const [read] = conversations
  if (!read) throw new Error('no conversation')
  return { path, read, problems, nodes: read.messages.map((m) => m.metadata?.nodeId) }
}

describe('a parent loop', () => {
  // Bad input: n40's parent is n41, so the walk up from current_node (n41) loops after two nodes. Today's code kept
  // 2 of the 42 messages and said so only in the metadata.
  it('recovers all 42 messages through the children links, and lists the repair', async () => {
    const looped = fortyTwo('loop-42')
    looped.mapping.n40!.parent = 'n41'
    const { path, read, problems, nodes } = await readSingle(looped)
    expect(nodes).toEqual(nodeIds(42))
    expect(read.messages.map((m) => m.ordinal)).toEqual([...Array(42).keys()])
    expect(problems).toEqual([
      {
        path,
        reason:
          'conversation 0 (loop-42): parent links loop at node n41: went on from n39, which lists n40 among ' +
          'its children',
        retryable: false,
        conversationId: 'chatgpt:loop-42',
      },
    ])
    expect(read.conversation.metadata).toMatchObject({ branches: { offThreadNodes: 0 } })
  })

  // Bad input: the same loop, and n39 no longer lists n40 among its children, so no link leads on.
  it('puts the earlier messages before the thread by create_time when no link leads on', async () => {
    const looped = fortyTwo('loop-cut')
    looped.mapping.n40!.parent = 'n41'
    looped.mapping.n39!.children = []
    const { read, problems, nodes } = await readSingle(looped)
    expect(nodes).toEqual(nodeIds(42))
    expect(problems.map((p) => p.reason)).toEqual([
      'conversation 0 (loop-cut): parent links loop at node n41',
      'conversation 0 (loop-cut): 40 earlier messages off the thread were put before it by create_time',
    ])
    // The root holds no message and stays off the thread.
    expect(read.conversation.metadata).toMatchObject({
      branches: { offThreadNodes: 1, offThreadNodeIds: ['root'] },
      threadProblems: problems.map((p) => p.reason.replace('conversation 0 (loop-cut): ', '')),
    })
  })

  // Bad input: the first message's parent points back at a later one (n0 → n2), so the root is never reached.
  it('goes on to the root when its link to the first message survives', async () => {
    const looped = linearConversation('loop', 2)
    looped.mapping.n0!.parent = 'n2'
    const { problems, nodes, read } = await readSingle(looped)
    expect(nodes).toEqual(['n0', 'n1', 'n2', 'n3'])
    expect(problems.map((p) => p.reason)).toEqual([
      'conversation 0 (loop): parent links loop at node n2: went on from root, which lists n0 among its children',
    ])
    expect(read.conversation.metadata).toMatchObject({ branches: { offThreadNodes: 0 } })
  })
})

describe('a current_node outside the mapping', () => {
  // Bad input: current_node names a node that is not in the mapping while n41 still lists it as its child (as an
  // export cut while the last answer was written leaves it). Today's code found no leaf and kept 0 messages.
  it('falls back to the newest leaf and says so', async () => {
    const conversation = fortyTwo('lost-current')
    conversation.mapping.n41!.children = ['lost']
    conversation.current_node = 'lost'
    const { path, problems, nodes } = await readSingle(conversation)
    expect(nodes).toEqual(nodeIds(42))
    expect(problems).toEqual([
      {
        path,
        reason:
          'conversation 0 (lost-current): current_node lost is not in the mapping: the thread ends at the ' +
          'newest leaf, n41',
        retryable: false,
        conversationId: 'chatgpt:lost-current',
      },
    ])
  })

  // Bad input: two leaves (a regenerated answer and the first), no current_node at all.
  it('picks the leaf with the newest create_time when current_node is missing', async () => {
    const conversation = linearConversation('forked', 2)
    delete conversation.current_node
    conversation.mapping.n2!.children.push('regen')
    conversation.mapping.regen = {
      id: 'regen',
      parent: 'n2',
      children: [],
      message: {
        author: { role: 'assistant' },
        create_time: 1_800_000_000,
        content: { content_type: 'text', parts: ['regenerated'] },
      },
    }
    const { problems, nodes } = await readSingle(conversation)
    expect(nodes).toEqual(['n0', 'n1', 'n2', 'regen'])
    expect(problems.map((p) => p.reason)).toEqual([
      'conversation 0 (forked): has no current_node: the thread ends at the newest leaf, regen',
    ])
  })

  // Bad input: current_node is gone and so is a node in the middle (n1): the leaf's walk stops at n2.
  it('puts the start before a missing node back by create_time', async () => {
    const orphan = linearConversation('orphan', 2)
    delete orphan.mapping.n1
    orphan.current_node = 'gone'
    const { problems, nodes } = await readSingle(orphan)
    expect(nodes).toEqual(['n0', 'n2', 'n3'])
    expect(problems.map((p) => p.reason)).toEqual([
      'conversation 0 (orphan): current_node gone is not in the mapping: the thread ends at the newest leaf, n3',
      'conversation 0 (orphan): node n1 is missing from the mapping',
      'conversation 0 (orphan): 1 earlier message off the thread was put before it by create_time',
    ])
  })

  // Bad input: a current_node named like an Object.prototype member.
  it('does not take __proto__ or constructor for a node', async () => {
    for (const name of ['__proto__', 'constructor']) {
      const conversation = linearConversation(`proto-${name}`, 1)
      conversation.current_node = name
      const { nodes } = await readSingle(conversation)
      expect(nodes).toEqual(['n0', 'n1'])
    }
  })
})
