/**
 * The text of one message, by kind. Lengths are log-normal: most messages are a few hundred characters, a few are
 * many thousands (pasted files, long answers with code), which is what a real history looks like.
 */
import { codeBlock } from './code'
import type { Prng } from './prng'
import { paragraph } from './prose'
import { toolCall, toolResult, TOOLS, type Tool, type ToolStyle } from './tool-calls'
import type { Language, Vocabularies } from './vocabulary'

/** Far above the index cap (32,768): longer messages only cost generation time. */
const MAX_CHARS = 40_000

const length = (rng: Prng, mean: number, sigma: number): number =>
  Math.min(MAX_CHARS, Math.max(12, Math.round(rng.logNormal(mean, sigma))))

/** Paragraphs, with a code block now and then, until about targetChars. */
function proseWithCode(
  rng: Prng,
  vocab: Vocabularies,
  language: Language,
  targetChars: number,
  codeChance: number,
): string {
  const parts: string[] = []
  let total = 0
  while (total < targetChars) {
    const remaining = targetChars - total
    const part =
      parts.length > 0 && remaining > 120 && rng.chance(codeChance)
        ? codeBlock(rng, vocab, Math.round(remaining * rng.next()) + 60)
        : paragraph(rng, vocab, language, Math.min(remaining, Math.round(rng.logNormal(260, 0.6))))
    parts.push(part)
    total += part.length + 2
  }
  return parts.join('\n\n')
}

export function userText(rng: Prng, vocab: Vocabularies, language: Language): string {
  return proseWithCode(rng, vocab, language, length(rng, 360, 1.0), 0.2)
}

export function assistantText(rng: Prng, vocab: Vocabularies, language: Language): string {
  return proseWithCode(rng, vocab, language, length(rng, 720, 0.9), 0.45)
}

export interface ToolExchange {
  readonly tool: Tool
  readonly call: string
  readonly result: string
}

/** An assistant message that calls a tool, and the tool's result. */
export function toolExchange(
  rng: Prng,
  vocab: Vocabularies,
  language: Language,
  style: ToolStyle,
): ToolExchange {
  const tool = rng.pick(TOOLS)
  const intro = paragraph(rng, vocab, language, length(rng, 110, 0.6))
  const call = `${intro}\n\n${toolCall(rng, vocab, style, tool, length(rng, 900, 0.8))}`
  return { tool, call, result: toolResult(rng, vocab, tool, length(rng, 880, 1.1)) }
}
