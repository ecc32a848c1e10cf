import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

// These run inside the browser page; the Node-side compiler has no DOM types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any;

const bundle = join(__dirname, '..', '..', '..', 'dist', 'webview.js');
const missing = [bundle, '/usr/bin/chromium'].filter((p) => !existsSync(p));
if (missing.length > 0 && process.env.CI)
  throw new Error(`The webview test needs ${missing.join(', ')}: run "npm run build" and bash .ci/setup`);

const HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';

describe(
  'the artifact panel renders registry strings inert',
  { skip: missing.length > 0 ? `missing ${missing.join(', ')}` : false },
  () => {
    let browser: Browser;
    let page: Page;
    before(async () => {
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      page = await browser.newPage();
      await page.setContent('<!DOCTYPE html><html><body><div id="root"></div></body></html>');
      await page.evaluate(() => {
        window.sent = [];
        window.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => window.sent.push(m) });
      });
      await page.addScriptTag({ path: bundle });
    });
    after(async () => browser?.close());

    test('HTML and scripts in annotations, media types, titles, facts and referrers are shown as text, and a javascript: source is no link', async () => {
      await page.evaluate((hostile) => {
        window.postMessage(
          {
            type: 'artifact',
            reference: `registry.example.com/app:${hostile}`,
            pinned: 'registry.example.com/app@sha256:' + 'a'.repeat(64),
            digest: 'sha256:' + 'a'.repeat(64),
            mediaType: hostile,
            artifactType: hostile,
            kind: hostile,
            kindId: hostile,
            headline: hostile,
            facts: [[hostile, hostile]],
            size: 10,
            annotations: [
              ['org.opencontainers.image.source', 'javascript:window.pwned=3'],
              ['org.opencontainers.image.description', hostile],
            ],
            layers: [{ mediaType: hostile, digest: 'sha256:' + 'b'.repeat(64), size: 1, title: hostile }],
            manifests: [],
            referrers: [
              {
                artifactType: hostile,
                digest: hostile,
                size: 1,
                kind: hostile,
                kindId: hostile,
                label: hostile,
                foundBy: hostile,
                how: hostile,
                tag: hostile,
              },
            ],
            referrersError: hostile,
          },
          '*',
        );
      }, HOSTILE);
      await page.getByText('org.opencontainers.image.description').waitFor();
      await page.evaluate(
        (hostile) =>
          window.postMessage({ type: 'files', files: [{ path: hostile, size: 3 }], skipped: [{ path: 'evil', reason: hostile }] }, '*'),
        HOSTILE,
      );
      await page.getByText('evil: ', { exact: false }).waitFor();
      const result = await page.evaluate(() => ({
        injected: document.querySelectorAll('#root img, #root script, #root iframe').length,
        pwned: (window as unknown as { pwned?: number }).pwned,
        links: [...document.querySelectorAll('#root a')].map((a: { textContent: string }) => a.textContent),
        text: document.getElementById('root')!.textContent ?? '',
      }));
      assert.equal(result.injected, 0, 'no element was created from registry strings');
      assert.equal(result.pwned, undefined, 'no script ran');
      assert.deepEqual(result.links, [HOSTILE], 'only http(s) sources become links (the one link is the file, whose name is text)');
      assert.ok(result.text.includes(HOSTILE), 'the hostile string is shown literally');
    });

    test('the panel asks the host for its data when it loads, and its buttons ask the host to act', async () => {
      await page.getByText('Copy Digest').click();
      const sent = await page.evaluate(() => window.sent);
      assert.deepEqual(sent[0], { type: 'ready' });
      assert.deepEqual(sent[sent.length - 1], { type: 'action', action: 'copyDigest' });
    });
  },
);
