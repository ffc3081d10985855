// Page helpers shared by the browser suite's test files (e2e/*.e2e.ts): navigation, boot, the tree's nodes as data,
// the log, waiting for a run to end, uploads. Each is a thin wrapper over the app's data-testid/data-* attributes.
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { assert, waitFor } from './suite';

export const RUN_TIMEOUT = 9 * 60_000;
export const BOOT_TIMEOUT = 60_000;
export const STUDY_LR = 5e-5;
export type Screen = 'data' | 'model' | 'wizard' | 'live' | 'tree' | 'compare' | 'export';

export interface TreeNode {
  id: string;
  stage: string;
  status: string;
  score: string;
  steps: string;
  totalSteps: string;
  finishedAt: string;
}

export const treeNodes = (page: Page): Promise<TreeNode[]> =>
  page.$$eval('g.tree-node', (gs) =>
    gs.map((g) => ({
      id: g.getAttribute('data-node-id')!,
      stage: g.getAttribute('data-stage')!,
      status: g.getAttribute('data-status')!,
      score: g.getAttribute('data-score')!,
      steps: g.getAttribute('data-steps') ?? '',
      totalSteps: g.getAttribute('data-total-steps') ?? '',
      finishedAt: g.getAttribute('data-finished-at') ?? '',
    })),
  );

export const logLines = (page: Page) => page.$$eval('[data-testid=log] div', (d) => d.map((x) => x.textContent ?? ''));

export async function nav(page: Page, screen: Screen): Promise<void> {
  await page.click(`[data-nav="${screen}"]`);
  await waitFor(page, `[data-nav="${screen}"][aria-current=page]`, `the ${screen} screen to open`, 10_000);
}

export async function boot(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl);
  await waitForBoot(page);
}

export async function waitForBoot(page: Page): Promise<void> {
  await waitFor(page, '.app[data-booted=yes]', 'the app to boot', BOOT_TIMEOUT, 'attached');
  await waitFor(page, '[data-testid=backend][data-backend]:not([data-backend=""])', 'the backend badge to name a backend', BOOT_TIMEOUT);
}

export async function waitRunEnd(page: Page, what: string): Promise<void> {
  await waitFor(page, '[data-testid=run-status]:not([data-status=running])', `${what} to end`, RUN_TIMEOUT);
  const status = await page.getAttribute('[data-testid=run-status]', 'data-status');
  if (status !== 'done') {
    const lines = await logLines(page);
    throw new Error(`${what} ended '${status}'. Log tail:\n${lines.slice(-8).join('\n')}`);
  }
}

/** Bytes the storage meter says the lab saved ("Saved in this browser 12.3 KB"). */
export async function storageBytes(page: Page): Promise<number> {
  const text = ((await page.textContent('[data-testid=storage] .backend-top .num')) ?? '').trim();
  const m = /^([\d.]+)\s*(B|KB|MB|GB)$/.exec(text);
  assert(m, `storage meter shows '${text}'`);
  return Number(m[1]) * 1024 ** ['B', 'KB', 'MB', 'GB'].indexOf(m[2]);
}

export async function uploadDataset(page: Page, file: string): Promise<string> {
  await page.setInputFiles('[data-testid=dataset-input]', file);
  const name = path.basename(file);
  await waitFor(page, `[data-testid=dataset-summary] h2:text-is("${name}")`, `the summary of ${name}`, 30_000);
  return (await page.textContent('[data-testid=dataset-summary]')) ?? '';
}
