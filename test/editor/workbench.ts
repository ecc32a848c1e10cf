// What every real-VS-Code test shares: its prerequisites, the browser on code-server's workbench,
// named UI steps that leave a screenshot when they fail, and rows of the views.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { editorTools } from './codeServer';

export const ROOT = join(__dirname, '..', '..', '..');
export const VSIX = join(ROOT, 'dist', 'oci-gitops.vsix');
export const SHOTS = join(ROOT, 'test-artifacts', 'editor');

/**
 * The `skip` option of an editor suite: false when code-server, chromium and the packaged
 * extension (plus any `builtFiles`) are there. Under CI a missing one is an error, never a skip.
 */
export function editorSuiteSkip(builtFiles: string[] = []): string | false {
  const missing = [
    ...editorTools().missing,
    ...[VSIX, ...builtFiles].filter((path) => !existsSync(path)).map((path) => `${path} (run "npm run package")`),
  ];
  if (missing.length === 0) return false;
  if (process.env.CI) throw new Error(`The real-VS-Code test needs: ${missing.join(', ')}. Run bash .ci/setup first.`);
  return `missing ${missing.join(', ')}; run bash .ci/setup`;
}

/** Debian's chromium, headless, as every editor test and the editor benchmark drive it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Chromium on the workbench at `url`, once the workbench has rendered. */
export async function openWorkbench(url: string, viewport = { width: 1400, height: 900 }): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport });
    page.setDefaultTimeout(30_000);
    // The first load compiles the workbench's scripts: as slow as the render on a busy machine.
    await page.goto(url, { timeout: 90_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    return { browser, page };
  } catch (error) {
    // The caller never gets the browser to close: left open, it keeps the test process alive.
    await browser.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Runs a named UI step; when it fails, the screenshot `failed-<prefix><name>.png` shows the
 * workbench at that moment and the error names the step.
 */
export function stepper(page: () => Page, prefix = '', shots = SHOTS): <T>(name: string, work: () => Promise<T>) => Promise<T> {
  return async (name, work) => {
    try {
      return await work();
    } catch (error) {
      mkdirSync(shots, { recursive: true });
      await page()
        .screenshot({ path: join(shots, `failed-${prefix}${name.replace(/[^a-z0-9]+/gi, '-')}.png`) })
        .catch(() => undefined);
      throw new Error(`UI step "${name}" failed: ${(error as Error).message}`, { cause: error });
    }
  };
}

/** Runs a command by its title (`Category: Title`) from the command palette. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/**
 * Opens a workspace file by name through Quick Open and waits for its tab to be the active one.
 * The whole gesture is tried again when the file does not show: the file search answers late on a
 * busy machine, and a notification or view taking focus can close the picker half-way.
 */
export async function quickOpen(page: Page, name: string, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+p');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(name);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/**
 * Runs a context-menu action of a row and waits for what it opens. The gesture is repeated when a
 * redraw of the row (summaries and badges arriving) swallows the right-click or the menu item.
 */
export async function contextMenu(page: Page, row: Locator, label: string, opened: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await row.click({ button: 'right' });
      const item = page.locator('.context-view .action-label', { hasText: label }).first();
      await item.waitFor({ timeout: 5_000 });
      await item.hover();
      await item.click({ timeout: 5_000 });
      await opened();
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * Accepts the quick pick row with this label by typing it into the quick input and pressing Enter
 * once the filtered list has it focused. A click can miss: the list re-renders while providers
 * answer and rows are "not stable" or detach under the pointer; typing goes to the input itself.
 */
export async function pick(page: Page, label: string): Promise<void> {
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 30_000 });
  await page.locator('.quick-input-widget input').fill(label);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: label }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
}

/**
 * Expands a tree row until `shown` (one of its children) is visible. A refresh of the view (after
 * signing, a copy, a push) redraws its rows, and an expansion clicked while it runs can be lost:
 * the row is expanded again instead of waited on.
 */
export async function expandUntil(row: Locator, shown: Locator, attempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
    try {
      await shown.first().waitFor({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}

/** A row of the Registries view at a depth (1 registry, 2 repository, 3 tag, 4 what is under a tag) with exactly this label. */
export function treeRow(page: Page, level: number, label: string): Locator {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page
    .locator(`.pane-body .monaco-list-row[aria-level="${level}"]`)
    .filter({ has: page.locator('.label-name', { hasText: exact }) });
}

/** Expands a tree row unless it already is. */
export async function expandRow(row: Locator): Promise<void> {
  await row.waitFor();
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
}
