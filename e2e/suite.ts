// A small test runner for the browser suite: named tests, each run even after another one failed, each on a fresh
// browser context unless it builds on a named fixture (one context shared by the tests that declare it, created by
// the first of them). A test may declare the tests it needs; when one of those did not pass it is skipped with the
// reason. A test may need ../shared material; when that is absent it is skipped, or failed under CI=true or
// QGLAB_REQUIRE_SHARED=1. Waiting is always for a condition (waitFor / until), never for a fixed time.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { errors, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { sharedRequired } from '../src/testing/sharedDir';

export interface TestContext {
  page: Page;
  context: BrowserContext;
  log(message: string): void;
  /** A full-page screenshot into e2e/artifacts/. */
  shot(name: string): Promise<void>;
}

export interface TestDef {
  name: string;
  /** Names of tests that must have passed first (they run earlier, in definition order). */
  needs?: string[];
  /** Paths (absolute) of ../shared material the test reads. */
  shared?: string[];
  /** Name of the shared context this test builds on; none = a fresh context, closed after the test. */
  fixture?: string;
  /** Overall limit for the test (default 5 min). */
  timeoutMs?: number;
  run(t: TestContext): Promise<void>;
}

export type Outcome = 'passed' | 'failed' | 'skipped';
export interface TestResult {
  name: string;
  outcome: Outcome;
  message?: string;
  ms: number;
}

export interface SuiteOptions {
  browser: Browser;
  artifacts: string;
  /** Called on every new page (an init script, e.g. a backend override) before the test sees it. */
  preparePage?(page: Page): Promise<void>;
  log(message: string): void;
  /** One line per finished test. */
  report(result: TestResult): void;
}

export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** Resolves `p`, or rejects after `ms` with "timed out after … waiting for <what>". */
export async function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${(ms / 1000).toFixed(0)} s waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function rethrowTimeout(e: unknown, what: string, ms: number): never {
  if (e instanceof errors.TimeoutError) throw new Error(`timed out after ${(ms / 1000).toFixed(0)} s waiting for ${what}`);
  throw e;
}

/** Waits for `selector` to reach `state` (default visible); a timeout names `what`. */
export async function waitFor(
  page: Page,
  selector: string,
  what: string,
  ms = 30_000,
  state: 'visible' | 'attached' | 'detached' | 'hidden' = 'visible',
): Promise<void> {
  try {
    await page.locator(selector).first().waitFor({ state, timeout: ms });
  } catch (e) {
    rethrowTimeout(e, `${what} (${selector} ${state})`, ms);
  }
}

/** Polls `fn` in the page until it returns a truthy value, which it returns; a timeout names `what`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function until<A, R>(page: Page, what: string, fn: (arg: any) => R, arg: A, ms = 30_000, polling: number | 'raf' = 'raf'): Promise<R> {
  try {
    const h = await page.waitForFunction(fn, arg, { timeout: ms, polling });
    return (await h.jsonValue()) as R;
  } catch (e) {
    rethrowTimeout(e, what, ms);
  }
}

/** Waits until exactly `n` elements match `selector`; a timeout names `what` and the count last seen. */
export async function waitForCount(page: Page, selector: string, n: number, what: string, ms = 30_000): Promise<void> {
  try {
    await page.waitForFunction(([s, k]) => document.querySelectorAll(s as string).length === k, [selector, n] as const, { timeout: ms, polling: 100 });
  } catch (e) {
    if (e instanceof errors.TimeoutError) {
      const seen = await page.locator(selector).count().catch(() => -1);
      throw new Error(`timed out after ${(ms / 1000).toFixed(0)} s waiting for ${what}: want ${n} × ${selector}, saw ${seen}`);
    }
    throw e;
  }
}


const fileName = (name: string) => name.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '').slice(0, 90);

export async function runSuite(tests: TestDef[], opt: SuiteOptions): Promise<TestResult[]> {
  const results = new Map<string, TestResult>();
  const fixtures = new Map<string, { context: BrowserContext; page: Page; errors: string[] }>();
  const newPage = async () => {
    const context = await opt.browser.newContext({ viewport: { width: 1440, height: 960 }, acceptDownloads: true, deviceScaleFactor: 1 });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    const errs: string[] = [];
    page.on('pageerror', (e) => errs.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/favicon/.test(m.text())) errs.push(`console: ${m.text()}`);
    });
    if (opt.preparePage) await opt.preparePage(page);
    return { context, page, errors: errs };
  };
  const finish = (r: TestResult) => {
    results.set(r.name, r);
    opt.report(r);
  };

  for (const t of tests) {
    const t0 = Date.now();
    const missingNeed = (t.needs ?? []).find((n) => results.get(n)?.outcome !== 'passed');
    if (missingNeed !== undefined) {
      const r = results.get(missingNeed);
      const why = !r ? 'was not defined before it' : r.outcome === 'failed' ? 'failed' : 'was skipped';
      finish({ name: t.name, outcome: 'skipped', message: `prerequisite '${missingNeed}' ${why}`, ms: 0 });
      continue;
    }
    const absent = (t.shared ?? []).filter((p) => !existsSync(p));
    if (absent.length) {
      const what = absent.map((p) => path.relative(process.cwd(), p)).join(', ');
      if (sharedRequired()) finish({ name: t.name, outcome: 'failed', message: `needs ${what}, which is absent (CI=true or QGLAB_REQUIRE_SHARED=1)`, ms: 0 });
      else finish({ name: t.name, outcome: 'skipped', message: `needs ${what}, which is absent`, ms: 0 });
      continue;
    }

    let env: { context: BrowserContext; page: Page; errors: string[] } | undefined;
    try {
      if (t.fixture) {
        env = fixtures.get(t.fixture);
        if (!env) fixtures.set(t.fixture, (env = await newPage()));
      } else env = await newPage();
      env.errors.length = 0;
      const page = env.page;
      const ctx: TestContext = {
        page,
        context: env.context,
        log: (m) => opt.log(`  ${m}`),
        shot: (name) => page.screenshot({ path: path.join(opt.artifacts, `${name}.png`), fullPage: true }).then(() => undefined),
      };
      const ms = t.timeoutMs ?? 5 * 60_000;
      await within(`the test to finish (its own limit, ${(ms / 1000).toFixed(0)} s)`, ms, t.run(ctx));
      const errs = [...env.errors];
      assert(errs.length === 0, `uncaught errors in the page: ${errs.slice(0, 5).join(' | ')}`);
      finish({ name: t.name, outcome: 'passed', ms: Date.now() - t0 });
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e))
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .slice(0, 14)
        .join(' ⏎ ');
      if (env) await env.page.screenshot({ path: path.join(opt.artifacts, `FAIL-${fileName(t.name)}.png`), fullPage: true, timeout: 15_000 }).catch(() => undefined);
      finish({ name: t.name, outcome: 'failed', message, ms: Date.now() - t0 });
    } finally {
      if (env && !t.fixture) await env.context.close().catch(() => undefined);
    }
  }
  for (const f of fixtures.values()) await f.context.close().catch(() => undefined);
  return tests.map((t) => results.get(t.name)!);
}

export function formatResult(r: TestResult): string {
  const s = `(${(r.ms / 1000).toFixed(1)} s)`;
  if (r.outcome === 'passed') return `✓ ${r.name} ${s}`;
  if (r.outcome === 'failed') return `✗ ${r.name}: ${r.message}`;
  return `- ${r.name}: skipped, ${r.message}`;
}

export function summaryLine(results: TestResult[]): string {
  const n = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  const skipped = n('skipped');
  return `${n('passed')} passed, ${n('failed')} failed${skipped ? `, ${skipped} skipped` : ''}`;
}
