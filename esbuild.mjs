// Bundles the extension host, the CLI and the webview code. `--production` minifies; otherwise
// bundles carry source maps. `--watch` rebuilds on change. dist/meta.json says what each output
// file holds (esbuild's metafile: for `esbuild --analyze`, and for the test of what loads when).
//
// Load on first use: the extension and the CLI are one ES module program split into chunks
// (esbuild `splitting`), so a feature's code is read only when an `import()` first asks for it.
// Activation (dist/extension.mjs) holds the registrations and the cheap YAML kind check; the tree,
// the validator, signing, diff, the webview host and each command are chunks of their own, sharing
// the OCI core. The CLI's entry (dist/cli.js) is a small CommonJS file: it prints the help without
// starting Node's ES module loader, and otherwise imports dist/cli.mjs, which loads the one command
// it runs. test/bench/loading.bench.ts measures this against separate CommonJS bundles per feature.
import { build, context } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { relative, resolve, sep } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const esmMain = process.argv.includes('--esm-main');

/**
 * undici's index.js loads every feature it has (fetch, WebSocket, EventSource, cookies, caches,
 * mocks, interceptors) before answering: about 50 ms of every CLI start. The OCI core uses only its
 * Agent and request(), so imports of 'undici' from src/oci/ get those from undici's own modules,
 * exactly as its index wires them; everything else (Sigstore's fetch) still imports undici whole.
 */
const undiciParts = {
  name: 'undici-parts',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, (args) =>
      /[\\/]src[\\/]oci[\\/]/.test(args.importer) ? { path: 'undici', namespace: 'undici-parts' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'undici-parts' }, () => ({
      resolveDir: process.cwd(),
      loader: 'js',
      contents: `
        const Dispatcher = require('undici/lib/dispatcher/dispatcher');
        const Agent = require('undici/lib/dispatcher/agent');
        const api = require('undici/lib/api');
        const util = require('undici/lib/core/util');
        const errors = require('undici/lib/core/errors');
        const { getGlobalDispatcher, setGlobalDispatcher } = require('undici/lib/global');
        Object.assign(Dispatcher.prototype, api);
        // undici's index.js makeDispatcher(api.request), unchanged.
        function request(url, opts) {
          if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL))) throw new errors.InvalidArgumentError('invalid url');
          if (opts != null && typeof opts !== 'object') throw new errors.InvalidArgumentError('invalid opts');
          if (opts && opts.path != null) {
            if (typeof opts.path !== 'string') throw new errors.InvalidArgumentError('invalid opts.path');
            url = new URL(util.parseOrigin(url).origin + (opts.path.startsWith('/') ? opts.path : '/' + opts.path));
          } else {
            if (!opts) opts = typeof url === 'object' ? url : {};
            url = util.parseURL(url);
          }
          const { agent, dispatcher = getGlobalDispatcher() } = opts;
          if (agent) throw new errors.InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
          return api.request.call(dispatcher, { ...opts, origin: url.origin, path: url.search ? url.pathname + url.search : url.pathname, method: opts.method || (opts.body ? 'PUT' : 'GET') });
        }
        module.exports = { Agent, Dispatcher, errors, request, getGlobalDispatcher, setGlobalDispatcher };
      `,
    }));
    // undici's HTTP/2 client reads node:http2 when it loads (its constants), though registries are
    // spoken to over HTTP/1.1 (allowH2 is off): the real module now loads on a first HTTP/2 connect.
    b.onResolve({ filter: /^node:http2$/ }, (args) =>
      /undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/.test(args.importer) ? { path: 'http2', namespace: 'lazy-http2' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-http2' }, () => ({
      loader: 'js',
      contents: `
        module.exports = {
          constants: ${JSON.stringify(http2Constants)},
          connect: (...args) => require('node:http2').connect(...args),
        };
      `,
    }));
  },
};

/** The node:http2 constants undici's client-h2.js reads when it loads (stable protocol names and codes). */
const http2Constants = Object.fromEntries(
  [
    'HTTP2_HEADER_AUTHORITY',
    'HTTP2_HEADER_METHOD',
    'HTTP2_HEADER_PATH',
    'HTTP2_HEADER_SCHEME',
    'HTTP2_HEADER_CONTENT_LENGTH',
    'HTTP2_HEADER_EXPECT',
    'HTTP2_HEADER_STATUS',
    'HTTP2_HEADER_PROTOCOL',
    'NGHTTP2_REFUSED_STREAM',
    'NGHTTP2_CANCEL',
  ].map((name) => [name, http2.constants[name]]),
);

/**
 * The oldest Node the package says it runs on (package.json engines.node, ">=22.0.0" → "node22"):
 * the bundle may use what that Node has, and nothing newer.
 */
function nodeTarget() {
  const range = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).engines?.node ?? '';
  const major = /^>=\s*(\d+)(?:\.\d+){0,2}$/.exec(range.trim())?.[1];
  if (!major) throw new Error(`package.json engines.node is "${range}"; esbuild.mjs reads a ">=<major>[.<minor>.<patch>]" range`);
  return `node${major}`;
}

const node = {
  bundle: true,
  // The version the MCP server reports to its clients.
  define: { OCI_GITOPS_VERSION: JSON.stringify(JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version) },
  platform: 'node',
  target: nodeTarget(),
  // Prefer ES module builds: jsonc-parser's UMD build (used by yaml-language-server) loads its
  // parts with a dynamic require that a bundle cannot resolve.
  mainFields: ['module', 'main'],
  // @sigstore/sign's HTTP goes through undici, as ours does (see src/signing/keyless/sigstoreFetch.ts).
  alias: { 'make-fetch-happen': './src/signing/keyless/sigstoreFetch.ts' },
  plugins: [undiciParts],
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
};

/**
 * Activation (dist/extension.js) is CommonJS: VS Code require()s it in one synchronous step, which
 * is what "Show Running Extensions" times. Every import() in it names a feature that becomes an
 * entry of the ES module program below (dist/features/…), so activation holds no feature code.
 */
const features = {};
const featureImports = {
  name: 'feature-imports',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const file = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      const name = `features/${relative('src', file).split(sep).join('/').replace(/\.ts$/, '')}`;
      features[name] = file;
      return { path: `./${name}.mjs`, external: true };
    });
  },
};

const activation = {
  ...node,
  plugins: [featureImports, ...node.plugins],
  entryPoints: ['src/vscode/extension.ts'],
  outfile: 'dist/extension.js',
  format: 'cjs',
  external: ['vscode'],
  metafile: true,
};

/** The ES module program: the CLI's commands and the extension's features, split into shared chunks. */
const program = (entryPoints) => ({
  ...node,
  entryPoints,
  outdir: 'dist',
  format: 'esm',
  splitting: true,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  external: ['vscode'],
  metafile: true,
  // Bundled CommonJS dependencies require Node's built-ins; an ES module has no `require` of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});

/**
 * dist/cli.js reads the command declarations (src/cli/commandLine/) to answer --help, and hands every
 * other command line to the program; the import() by which a declaration loads its implementation
 * runs only in the program (dist/cli.mjs), so it is left out of dist/cli.js rather than bundled in.
 */
const commandImplementations = {
  name: 'command-implementations',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/commands\/[^/]+\.js$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined,
    );
  },
};

const others = [
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [...node.plugins, commandImplementations],
    metafile: true,
  },
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
];

// Output names carry content hashes: drop the previous build's so the package holds only the current ones.
// The other activation variant's file too, so a test or a package never picks up a stale one.
for (const stale of ['dist/chunks', 'dist/features', esmMain ? 'dist/extension.js' : 'dist/extension.mjs'])
  rmSync(stale, { recursive: true, force: true });

const cli = { cli: 'src/cli/run.ts' };
if (esmMain) {
  // The alternative test/bench/loading.bench.ts measures: activation as an ES module too
  // (dist/extension.mjs, which VS Code loads with import()).
  const [result, cliEntry] = await Promise.all([
    build(program({ extension: 'src/vscode/extension.ts', ...cli })),
    ...others.map((o) => build(o)),
  ]);
  writeFileSync(
    'dist/meta.json',
    JSON.stringify({
      inputs: { ...result.metafile.inputs, ...cliEntry.metafile.inputs },
      outputs: { ...result.metafile.outputs, ...cliEntry.metafile.outputs },
    }),
  );
} else if (watch) {
  await build(activation);
  for (const options of [activation, program({ ...features, ...cli }), ...others]) await (await context(options)).watch();
} else {
  const first = await build(activation);
  const [second, cliEntry] = await Promise.all([build(program({ ...features, ...cli })), ...others.map((o) => build(o))]);
  writeFileSync(
    'dist/meta.json',
    JSON.stringify({
      inputs: { ...first.metafile.inputs, ...second.metafile.inputs, ...cliEntry.metafile.inputs },
      outputs: { ...first.metafile.outputs, ...second.metafile.outputs, ...cliEntry.metafile.outputs },
    }),
  );
}
