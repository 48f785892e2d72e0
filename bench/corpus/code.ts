/**
 * Code in several languages, with identifiers built from the English vocabulary: assistants paste and write a lot
 * of code, and camelCase or snake_case names become single index tokens that differ from the prose words.
 */
import type { Prng } from './prng'
import type { Vocabularies } from './vocabulary'

export const CODE_LANGUAGES = ['ts', 'python', 'rust', 'go', 'sql', 'bash', 'json'] as const
export type CodeLanguage = (typeof CODE_LANGUAGES)[number]

interface Names {
  word(): string
  camel(): string
  snake(): string
  pascal(): string
}

function names(rng: Prng, vocab: Vocabularies): Names {
  // Only letters: a tail word or a function word is as good an identifier as any.
  const word = (): string => vocab.byLanguage.en.sample(rng).replace(/[^a-z0-9]/gi, '') || 'value'
  const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1)
  return {
    word,
    camel: () => word() + cap(word()),
    snake: () => `${word()}_${word()}`,
    pascal: () => cap(word()) + cap(word()),
  }
}

type LineMaker = (n: Names, rng: Prng) => string

const LINES: Record<CodeLanguage, readonly LineMaker[]> = {
  ts: [
    (n) => `const ${n.camel()} = await ${n.camel()}(${n.word()}, { ${n.word()}: true })`,
    (n) => `export function ${n.camel()}(${n.word()}: ${n.pascal()}): ${n.pascal()} {`,
    (n) => `  if (!${n.camel()}) throw new Error('${n.word()} ${n.word()} failed')`,
    (n) => `  return ${n.word()}.map((${n.word()}) => ${n.camel()}(${n.word()}))`,
    (n) => `import { ${n.camel()} } from './${n.word()}/${n.word()}'`,
    () => `}`,
  ],
  python: [
    (n) => `def ${n.snake()}(${n.word()}, ${n.word()}=None):`,
    (n) => `    ${n.snake()} = ${n.word()}.${n.snake()}(${n.word()})`,
    (n) => `    if not ${n.word()}:\n        raise ValueError("${n.word()} ${n.word()}")`,
    (n) => `    return [${n.word()} for ${n.word()} in ${n.snake()}]`,
    (n) => `from ${n.word()}.${n.word()} import ${n.pascal()}`,
  ],
  rust: [
    (n) => `fn ${n.snake()}(${n.word()}: &${n.pascal()}) -> Result<${n.pascal()}, Error> {`,
    (n) => `    let ${n.snake()} = ${n.word()}.${n.snake()}()?;`,
    (n) => `    match ${n.word()} { Some(v) => v, None => return Err(${n.pascal()}::${n.pascal()}) }`,
    (n) => `use crate::${n.word()}::${n.pascal()};`,
    () => `}`,
  ],
  go: [
    (n) => `func ${n.pascal()}(${n.word()} *${n.pascal()}) (${n.pascal()}, error) {`,
    (n) => `\t${n.camel()}, err := ${n.word()}.${n.pascal()}(ctx)`,
    (n) => `\tif err != nil {\n\t\treturn nil, fmt.Errorf("${n.word()}: %w", err)\n\t}`,
    () => `}`,
  ],
  sql: [
    (n) => `SELECT ${n.snake()}, ${n.snake()} FROM ${n.snake()} WHERE ${n.word()}_id = ?;`,
    (n) => `CREATE INDEX ${n.snake()}_idx ON ${n.snake()} (${n.word()});`,
    (n) => `UPDATE ${n.snake()} SET ${n.word()} = ? WHERE ${n.word()} IS NULL;`,
  ],
  bash: [
    (n) => `npm run ${n.word()} -- --${n.word()}`,
    (n) => `git checkout -b ${n.word()}/${n.word()}-${n.word()}`,
    (n, rng) => `export ${n.snake().toUpperCase()}=${rng.int(1, 65535)}`,
    (n) => `grep -rn "${n.camel()}" src/${n.word()}`,
  ],
  json: [
    (n, rng) => `  "${n.camel()}": ${rng.int(0, 10_000)},`,
    (n) => `  "${n.word()}": "${n.word()}-${n.word()}",`,
    (n) => `  "${n.camel()}": ["${n.word()}", "${n.word()}"],`,
  ],
}

/** About targetChars of code, without the fence. */
export function codeBody(
  rng: Prng,
  vocab: Vocabularies,
  language: CodeLanguage,
  targetChars: number,
): string {
  const n = names(rng, vocab)
  const makers = LINES[language]
  const lines: string[] = []
  let length = 0
  while (length < targetChars) {
    const line = rng.pick(makers)(n, rng)
    lines.push(line)
    length += line.length + 1
  }
  return language === 'json' ? `{\n${lines.join('\n')}\n}` : lines.join('\n')
}

export function codeBlock(rng: Prng, vocab: Vocabularies, targetChars: number): string {
  const language = rng.pick(CODE_LANGUAGES)
  return `\`\`\`${language}\n${codeBody(rng, vocab, language, targetChars)}\n\`\`\``
}
