// `npm start`: a local registry seeded with sample artifacts and a real VS Code (code-server) with
// the packaged extension, both on loopback. Prints the address; Ctrl+C stops everything.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OciClient } from '../../src/oci';
import { editorTools, startCodeServer } from '../editor/codeServer';
import { startRegistry } from '../support/registry';
import { seedSampleArtifacts } from './seed';

async function main(): Promise<void> {
  const vsix = join(__dirname, '..', '..', '..', 'dist', 'oci-gitops.vsix');
  const { missing } = editorTools();
  if (missing.length > 0 || !existsSync(vsix)) {
    throw new Error(
      `missing ${[...missing, ...(existsSync(vsix) ? [] : [vsix])].join(', ')}: run "bash .ci/setup" (and npm start builds the vsix)`,
    );
  }
  const registry = await startRegistry({ auth: 'none' });
  const client = new OciClient();
  const seeded = await seedSampleArtifacts(client, registry.host);
  await client.close();
  const podinfo = seeded.find((s) => s.reference.endsWith('podinfo:1.1.0'))!;
  const editor = await startCodeServer(
    vsix,
    { 'ociGitops.registries': [{ url: registry.host, label: 'Sandbox registry' }] },
    {
      'clusters/sandbox/podinfo-source.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 5m
  url: oci://${registry.host}/apps/podinfo
  insecure: true
  ref:
    digest: ${podinfo.digest}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: OCIRepository
    name: podinfo
`,
      'clusters/sandbox/podinfo-app.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: podinfo
  namespace: argocd
spec:
  project: default
  source:
    repoURL: oci://${registry.host}/apps/podinfo
    targetRevision: 1.1.0
    path: .
  destination:
    server: https://kubernetes.default.svc
    namespace: podinfo
`,
    },
  );
  console.log('\nOCI GitOps sandbox is running:');
  console.log(`  VS Code (code-server): ${editor.url}`);
  console.log(
    `  Registry:              http://${registry.host}  (${seeded.length} sample artifacts: ${[...new Set(seeded.map((s) => s.kind))].join(', ')})`,
  );
  console.log(`  Try the CLI:           node dist/cli.js tags ${registry.host}/apps/podinfo`);
  console.log('Press Ctrl+C to stop.\n');
  const stop = async () => {
    await editor.stop().catch(() => undefined);
    await registry.stop().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`sandbox: ${(error as Error).message}`);
  process.exit(1);
});
