// `npm run bench` (validation part): a file of 1,000 Flux and Argo CD documents, validated in full
// and re-validated after a one-line edit, against a floor measured in the same run: bare
// yaml-language-server with the same schemas on the same text. Prints the ratios and the targets.
import { getLanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { KindSchema } from '../../src/gitops/contract/kindSchema';
import { kindSchemas } from '../../src/gitops/kinds';
import { GitOpsValidator } from '../../src/gitops/validator';

const DOCUMENTS = 1000;
const ROUNDS = 7;

function document(i: number): string {
  switch (i % 4) {
    case 0:
      return `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app-${i}\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/app-${i}\n  ref:\n    semver: ">=1.0.0"\n  verify:\n    provider: cosign\n    secretRef:\n      name: cosign-pub\n`;
    case 1:
      return `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: app-${i}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./\n  sourceRef:\n    kind: OCIRepository\n    name: app-${i - 1}\n`;
    case 2:
      return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app-${i}\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: oci://ghcr.io/org/app-${i}\n    targetRevision: 1.0.0\n    path: .\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: app\n  syncPolicy:\n    automated:\n      prune: true\n      selfHeal: true\n    syncOptions:\n      - CreateNamespace=true\n`;
    default:
      return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${i}\ndata:\n  LOG_LEVEL: info\n  REPLICAS: "3"\n`;
  }
}

function bareLanguageService() {
  const service = getLanguageService({
    schemaRequestService: (uri) => Promise.reject(new Error(uri)),
    workspaceContext: { resolveRelativePath: (p) => p },
  });
  const root = {
    allOf: kindSchemas.map((s: KindSchema) => ({
      if: { properties: { apiVersion: { const: s.apiVersion }, kind: { const: s.kind } }, required: ['apiVersion', 'kind'] },
      then: { $ref: s.uri },
    })),
  };
  service.configure({
    validate: true,
    schemas: [
      { uri: 'bench://root.json', fileMatch: ['*'], schema: root },
      ...kindSchemas.map((s: KindSchema) => ({ uri: s.uri, fileMatch: [], schema: s.schema })),
    ],
  });
  return service;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const text = Array.from({ length: DOCUMENTS }, (_, i) => document(i)).join('---\n');
  const edited = text.replace('name: app-500\n', 'name: app-500-renamed\n');
  if (edited === text) throw new Error('the edit did not apply');
  const bare = { full: [] as number[], edit: [] as number[] };
  const ours = { full: [] as number[], edit: [] as number[] };
  let version = 0;
  const service = bareLanguageService();
  for (let round = 0; round < ROUNDS; round++) {
    bare.full.push(await time(() => service.doValidation(TextDocument.create('bench:///file.yaml', 'yaml', ++version, text), false)));
    bare.edit.push(await time(() => service.doValidation(TextDocument.create('bench:///file.yaml', 'yaml', ++version, edited), false)));
    // A fresh validator each round: the full pass may not lean on an earlier round's cache.
    const validator = new GitOpsValidator();
    const sources = new Map();
    ours.full.push(await time(() => validator.validate(text, sources)));
    ours.edit.push(await time(() => validator.validate(edited, sources)));
  }
  const line = (name: string, mine: number, floor: number, target: number) =>
    console.log(
      `${name.padEnd(28)} ours ${mine.toFixed(1).padStart(7)} ms   bare yaml-language-server ${floor.toFixed(1).padStart(7)} ms   ratio ${(mine / floor).toFixed(2)}×   target < ${target} ms and ≤ 1.5×: ${mine < target && mine / floor <= 1.5 ? 'met' : 'NOT met'}`,
    );
  console.log(
    `Validating ${DOCUMENTS} documents (${(text.length / 1024).toFixed(0)} KiB), median of ${ROUNDS} rounds on Node ${process.version}`,
  );
  line('full pass', median(ours.full), median(bare.full), 250);
  line('after a one-line edit', median(ours.edit), median(bare.edit), 50);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
