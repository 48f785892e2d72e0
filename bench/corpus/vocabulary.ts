/**
 * One vocabulary per language: the real words of ./words as the frequent head, then a synthetic tail of made-up
 * words in that language's script, all drawn by Zipf rank. Real corpora have tens of thousands of distinct tokens;
 * without the tail the index would be unrealistically small and every word would be common.
 */
import { createPrng, type Prng } from './prng'
import { CHINESE_WORDS, JAPANESE_WORDS } from './words/cjk'
import {
  ENGLISH_COLLOCATIONS,
  ENGLISH_CONTENT_WORDS,
  ENGLISH_FUNCTION_WORDS,
  ENGLISH_RARE_WORDS,
} from './words/english'
import { FRENCH_WORDS, GERMAN_WORDS, RUSSIAN_WORDS, SPANISH_WORDS } from './words/european'
import { createZipf, type Zipf } from './zipf'

export const LANGUAGES = ['en', 'fr', 'de', 'es', 'ru', 'zh', 'ja'] as const
export type Language = (typeof LANGUAGES)[number]

export interface Vocabulary {
  readonly language: Language
  /** By rank, most frequent first. */
  readonly words: readonly string[]
  /** Chinese and Japanese are written without spaces between words. */
  readonly spaced: boolean
  sample(rng: Prng): string
  /** Rank of a word, or -1. */
  rankOf(word: string): number
}

export interface Vocabularies {
  readonly byLanguage: Readonly<Record<Language, Vocabulary>>
  /** English two-word phrases, drawn by Zipf rank like words. */
  sampleCollocation(rng: Prng): string
  readonly collocations: readonly string[]
}

interface TailSpec {
  readonly syllables: readonly string[]
  readonly size: number
  readonly minSyllables: number
  readonly maxSyllables: number
}

const LATIN = 'ka lo mi ter van dor bel sur gri pon tal nex rum qui zed fra mol cen dis ar ex io un re'.split(
  ' ',
)
const TAILS: Record<Language, TailSpec> = {
  en: { syllables: LATIN, size: 40_000, minSyllables: 2, maxSyllables: 4 },
  fr: {
    syllables: [...LATIN, 'é', 'è', 'ça', 'ré', 'lé', 'mè', 'pê', 'gne', 'eau', 'ô'],
    size: 4_000,
    minSyllables: 2,
    maxSyllables: 4,
  },
  de: {
    syllables: [...LATIN, 'ä', 'ö', 'ü', 'sch', 'ung', 'keit', 'lich', 'ver'],
    size: 4_000,
    minSyllables: 2,
    maxSyllables: 4,
  },
  es: {
    syllables: [...LATIN, 'ñ', 'ción', 'á', 'í', 'ó', 'ú'],
    size: 4_000,
    minSyllables: 2,
    maxSyllables: 4,
  },
  ru: {
    syllables: 'ка ло ми тер ван дор бел ст пр ни ость ение ать ир ук жа'.split(' '),
    size: 4_000,
    minSyllables: 2,
    maxSyllables: 4,
  },
  zh: {
    syllables: [...'天地人山水火木金土日月星云风雨雪花草树林石田工力口手心目耳'],
    size: 3_000,
    minSyllables: 2,
    maxSyllables: 3,
  },
  ja: {
    syllables: [...'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロ'],
    size: 3_000,
    minSyllables: 2,
    maxSyllables: 5,
  },
}

const HEADS: Record<Language, readonly string[]> = {
  en: [...ENGLISH_FUNCTION_WORDS, ...ENGLISH_CONTENT_WORDS],
  fr: FRENCH_WORDS,
  de: GERMAN_WORDS,
  es: SPANISH_WORDS,
  ru: RUSSIAN_WORDS,
  zh: CHINESE_WORDS,
  ja: JAPANESE_WORDS,
}

/** Where the rare real words sit in the English tail: spread geometrically, from uncommon to very rare. */
export const rareWordRank = (headSize: number, index: number): number =>
  headSize + Math.floor(400 * 1.5 ** index)

function syntheticTail(spec: TailSpec, taken: Set<string>, rng: Prng): string[] {
  const tail: string[] = []
  while (tail.length < spec.size) {
    let word = ''
    const count = rng.int(spec.minSyllables, spec.maxSyllables)
    for (let i = 0; i < count; i++) word += rng.pick(spec.syllables)
    if (!taken.has(word)) {
      taken.add(word)
      tail.push(word)
    }
  }
  return tail
}

function buildVocabulary(language: Language, rng: Prng): Vocabulary {
  const head = [...new Set(HEADS[language])]
  const taken = new Set(head.map((w) => w.toLowerCase()))
  const tail = syntheticTail(TAILS[language], taken, rng)
  const words = [...head, ...tail]
  if (language === 'en') {
    ENGLISH_RARE_WORDS.forEach((word, i) => words.splice(rareWordRank(head.length, i), 0, word))
  }
  const zipf: Zipf = createZipf(words.length)
  const ranks = new Map(words.map((w, i) => [w, i]))
  return {
    language,
    words,
    spaced: language !== 'zh' && language !== 'ja',
    sample: (r) => words[zipf.sample(r)] ?? '',
    rankOf: (word) => ranks.get(word) ?? -1,
  }
}

/** The vocabularies do not depend on the corpus seed: the same words exist in every corpus, at the same ranks. */
export function buildVocabularies(): Vocabularies {
  const rng = createPrng(0x5eed)
  const byLanguage = Object.fromEntries(LANGUAGES.map((l) => [l, buildVocabulary(l, rng)])) as Record<
    Language,
    Vocabulary
  >
  const collocationZipf = createZipf(ENGLISH_COLLOCATIONS.length, 1)
  return {
    byLanguage,
    collocations: ENGLISH_COLLOCATIONS,
    sampleCollocation: (r) => ENGLISH_COLLOCATIONS[collocationZipf.sample(r)] ?? '',
  }
}
