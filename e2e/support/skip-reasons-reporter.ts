/**
 * Prints why each skipped test was skipped, one line each at the end of the run: the list reporter shows a skip
 * without its reason, and a skip nobody can explain looks like a failure hidden.
 */
import type { Reporter, TestCase, TestResult } from '@playwright/test/reporter'

export default class SkipReasonsReporter implements Reporter {
  private readonly lines: string[] = []

  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== 'skipped') return
    const reason = test.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given'
    this.lines.push(`  skipped: ${test.title}: ${reason}`)
  }

  onEnd(): void {
    for (const line of this.lines) console.log(line)
  }

  printsToStdio(): boolean {
    return true
  }
}
