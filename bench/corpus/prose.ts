/**
 * Sentences and paragraphs in one language. Non-English conversations still mention English technical words and
 * inline code, as real ones do; Chinese and Japanese sentences have no spaces between words.
 */
import type { Prng } from './prng'
import type { Language, Vocabularies } from './vocabulary'

const END: Record<'spaced' | 'cjk', readonly string[]> = {
  spaced: ['.', '.', '.', '.', '?', '!', ':'],
  cjk: ['。', '。', '。', '？', '！'],
}

function inlineCode(rng: Prng, vocab: Vocabularies): string {
  const en = vocab.byLanguage.en
  const a = en.sample(rng)
  const b = en.sample(rng)
  switch (rng.int(0, 3)) {
    case 0:
      return `\`${a}${b.charAt(0).toUpperCase()}${b.slice(1)}()\``
    case 1:
      return `\`src/${a}/${b}.ts\``
    case 2:
      return `\`${a}_${b}\``
    default:
      return `\`--${a}\``
  }
}

function spacedSentence(rng: Prng, vocab: Vocabularies, language: Language): string {
  const words: string[] = []
  const length = rng.int(5, 22)
  const local = vocab.byLanguage[language]
  const english = vocab.byLanguage.en
  for (let i = 0; i < length; i++) {
    if (language === 'en' && rng.chance(0.02)) words.push(vocab.sampleCollocation(rng))
    else if (rng.chance(0.015)) words.push(inlineCode(rng, vocab))
    else if (language !== 'en' && rng.chance(0.12)) words.push(english.sample(rng))
    else words.push(local.sample(rng))
    if (i > 2 && i < length - 2 && rng.chance(0.06)) words[words.length - 1] += ','
  }
  const text = words.join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1) + rng.pick(END.spaced)
}

function cjkSentence(rng: Prng, vocab: Vocabularies, language: Language): string {
  const local = vocab.byLanguage[language]
  const english = vocab.byLanguage.en
  let text = ''
  const length = rng.int(6, 24)
  for (let i = 0; i < length; i++) {
    // Technical terms often stay in Latin letters, set off by spaces.
    if (rng.chance(0.06)) text += ` ${english.sample(rng)} `
    else text += local.sample(rng)
    if (i > 3 && i < length - 2 && rng.chance(0.08)) text += '，'
  }
  return text.trim() + rng.pick(END.cjk)
}

export function sentence(rng: Prng, vocab: Vocabularies, language: Language): string {
  return vocab.byLanguage[language].spaced
    ? spacedSentence(rng, vocab, language)
    : cjkSentence(rng, vocab, language)
}

/** Sentences until the paragraph reaches about targetChars. */
export function paragraph(rng: Prng, vocab: Vocabularies, language: Language, targetChars: number): string {
  const separator = vocab.byLanguage[language].spaced ? ' ' : ''
  let text = sentence(rng, vocab, language)
  while (text.length < targetChars) text += separator + sentence(rng, vocab, language)
  return text
}
