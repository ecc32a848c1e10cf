// `npm run bench:loading`: how to load on first use, measured. The shipped build (activation as a
// small CommonJS file, features as ES module entries sharing chunks) against the same code with
// activation as an ES module too (esbuild --esm-main), each installed in real VS Code and measured
// the same way in fresh windows. Also what separate CommonJS bundles per feature would hold: the
// OCI core again in every feature that uses it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureInEditor } from './editor.bench';
import { median, printTable, type Row } from './measure';

const root = join(__dirname, '..', '..', '..');
const ROUNDS = 5;

interface Meta {
  outputs: Record<string, { bytes: number; entryPoint?: string; imports: { path: string; kind: string }[] }>;
}

/** Builds and packages the ES-module-main variant in a copy of the project (dist/ stays as it is). */
function packageEsmMain(): { vsix: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'oci-gitops-esm-main-'));
  for (const entry of [
    'src',
    'webview',
    'media',
    'syntaxes',
    'package.json',
    'README.md',
    'LICENSE',
    '.vscodeignore',
    'esbuild.mjs',
    'tsconfig.json',
  ])
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main: string };
  manifest.main = './dist/extension.mjs';
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(
    join(dir, '.vscodeignore'),
    readFileSync(join(dir, '.vscodeignore'), 'utf8').replace('!dist/extension.js', '!dist/extension.mjs'),
  );
  for (const argv of [
    ['node', 'esbuild.mjs', '--production', '--esm-main'],
    ['npx', 'vsce', 'package', '--no-dependencies', '--out', 'dist/oci-gitops.vsix'],
  ]) {
    const result = spawnSync(argv[0], argv.slice(1), { cwd: dir, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`${argv.join(' ')} failed in ${dir}`);
  }
  return { vsix: join(dir, 'dist', 'oci-gitops.vsix'), dir };
}

/** Bytes each feature entry would hold as a bundle of its own: itself and every chunk it imports. */
function separateBundleBytes(): { shared: number; separate: number; features: number } {
  const meta = JSON.parse(readFileSync(join(root, 'dist', 'meta.json'), 'utf8')) as Meta;
  const closure = (file: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const i of meta.outputs[file].imports) if (i.kind === 'import-statement' && i.path.startsWith('dist/')) closure(i.path, seen);
    return seen;
  };
  const features = Object.keys(meta.outputs).filter((f) => f.startsWith('dist/features/') && f.endsWith('.mjs'));
  const shared = Object.entries(meta.outputs)
    .filter(([f]) => f.startsWith('dist/features/') || f.startsWith('dist/chunks/'))
    .reduce((n, [, o]) => n + o.bytes, 0);
  const separate = features.reduce((n, f) => n + [...closure(f)].reduce((m, g) => m + meta.outputs[g].bytes, 0), 0);
  return { shared, separate, features: features.length };
}

async function main(): Promise<void> {
  const esm = packageEsmMain();
  try {
    const shipped = await measureInEditor(join(root, 'dist', 'oci-gitops.vsix'), ROUNDS);
    const alternative = await measureInEditor(esm.vsix, ROUNDS);
    const rows: Row[] = [
      {
        measure: 'activation, CommonJS main + ES module features (shipped)',
        ours: median(shipped.ours),
        peerName: 'built-in Git',
        peer: median(shipped.git),
        target: '< 100 ms and ≤ ½ Git',
        met: median(shipped.ours) < 100 && median(shipped.ours) <= median(shipped.git) / 2,
        note: `${shipped.ours.join(', ')} ms`,
      },
      {
        measure: 'activation, ES module main (import() with splitting)',
        ours: median(alternative.ours),
        peerName: 'built-in Git',
        peer: median(alternative.git),
        target: '< 100 ms and ≤ ½ Git',
        met: median(alternative.ours) < 100 && median(alternative.ours) <= median(alternative.git) / 2,
        note: `${alternative.ours.join(', ')} ms`,
      },
      {
        measure: 'first page of 10,000 tags, shipped',
        ours: median(shipped.many),
        peerName: '100 tags',
        peer: median(shipped.hundred),
        target: '< 300 ms',
        met: median(shipped.many) < 300,
      },
      {
        measure: 'first page of 10,000 tags, ES module main',
        ours: median(alternative.many),
        peerName: '100 tags',
        peer: median(alternative.hundred),
        target: '< 300 ms',
        met: median(alternative.many) < 300,
      },
    ];
    printTable(`Load on first use: two ways, ${ROUNDS} fresh windows each`, rows);
    const sizes = separateBundleBytes();
    console.log(
      `\nFeature code as shipped (shared chunks): ${(sizes.shared / 1048576).toFixed(2)} MiB for ${sizes.features} feature entries.`,
    );
    console.log(
      `As separate bundles per feature (each with its own copy of what it imports): ${(sizes.separate / 1048576).toFixed(2)} MiB, and an OciError or OciClient from one bundle would not be one to another (instanceof).`,
    );
  } finally {
    rmSync(esm.dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
