// Bundles the extension host, the CLI and the webview code. `--production` minifies; otherwise
// bundles carry source maps. `--watch` rebuilds on change.
import { build, context } from 'esbuild';
import { existsSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Prefer ES module builds: jsonc-parser's UMD build (used by yaml-language-server) loads its
  // parts with a dynamic require that a bundle cannot resolve.
  mainFields: ['module', 'main'],
  // @sigstore/sign's HTTP goes through undici, as ours does (see src/signing/keyless/sigstoreFetch.ts).
  alias: { 'make-fetch-happen': './src/signing/keyless/sigstoreFetch.ts' },
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

const builds = [
  { ...node, entryPoints: ['src/vscode/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
  },
].filter((options) => {
  const present = options.entryPoints.every((entry) => existsSync(entry));
  if (!present) console.warn(`esbuild: skipping ${options.outfile}: ${options.entryPoints.join(', ')} does not exist yet`);
  return present;
});

if (watch) {
  for (const options of builds) await (await context(options)).watch();
} else {
  await Promise.all(builds.map((options) => build(options)));
}
