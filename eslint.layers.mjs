// The layer directions of src/, as an ESLint rule so an editor underlines an upward import as it is
// typed (test/architecture.test.ts and test/importCycles.test.ts check the same tree in the suite).
// Each top-level folder of src/ may import only the folders of the floors below it, and only the
// editor adapter (src/vscode) may import the `vscode` API: the CLI and the core run without it.
import { dirname, relative, resolve, sep } from 'node:path';

/** What each folder of src/ may import besides itself. Imports from outside src/ are not ruled here. */
export const LAYERS = {
  text: [],
  oci: ['text'],
  // Cloud sign-in answers "which credential for this host"; it needs only the OCI credential types.
  cloud: ['text', 'oci'],
  signing: ['text', 'oci'],
  artifact: ['text', 'oci', 'signing'],
  gitops: ['text', 'oci', 'signing', 'artifact'],
  // The MCP server is an adapter over the core that both the CLI and the editor host.
  mcp: ['text', 'oci', 'cloud', 'signing', 'artifact', 'gitops'],
  // What runs where: the kubeconfig's clusters read against the registry.
  clusters: ['text', 'oci', 'signing', 'artifact', 'gitops'],
  cli: ['text', 'oci', 'cloud', 'signing', 'artifact', 'gitops', 'mcp', 'clusters'],
  vscode: ['text', 'oci', 'cloud', 'signing', 'artifact', 'gitops', 'mcp', 'clusters'],
};

const SRC = resolve(import.meta.dirname, 'src');

/** The top-level folder of src/ that holds `path`, or undefined outside src/. */
function layerOf(path) {
  const inside = relative(SRC, path);
  if (inside.startsWith('..') || inside === '') return undefined;
  return inside.split(sep)[0];
}

const layerDirection = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder of src/ imports only the layers below it; only src/vscode imports vscode.' },
    schema: [],
    messages: {
      vscodeOutsideAdapter:
        '{{from}} may not import vscode: only src/vscode/ talks to the editor. Put the logic in the core and call it from src/vscode/.',
      upward:
        'src/{{from}} may not import src/{{to}} ({{specifier}}): src/{{from}} may use only {{allowed}}. Move the shared code down a layer or call it from the layer above.',
    },
  },
  create(context) {
    const from = layerOf(context.filename);
    if (from === undefined || !(from in LAYERS)) return {};
    const check = (node) => {
      const specifier = node?.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined;
      if (specifier === undefined) return;
      if (specifier === 'vscode') {
        if (from !== 'vscode') context.report({ node, messageId: 'vscodeOutsideAdapter', data: { from: `src/${from}` } });
        return;
      }
      if (!specifier.startsWith('.')) return;
      const to = layerOf(resolve(dirname(context.filename), specifier));
      if (to === undefined || to === from || LAYERS[from].includes(to)) return;
      const allowed = LAYERS[from].length > 0 ? LAYERS[from].map((layer) => `src/${layer}`).join(', ') : 'nothing else in src/';
      context.report({ node, messageId: 'upward', data: { from, to, specifier, allowed } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSImportEqualsDeclaration: (node) => check(node.moduleReference?.expression),
    };
  },
};

/** The config block that applies the rule to src/ (eslint.config.mjs includes it). */
export const layerConfig = {
  files: ['src/**/*.ts'],
  plugins: { layers: { rules: { direction: layerDirection } } },
  rules: { 'layers/direction': 'error' },
};
