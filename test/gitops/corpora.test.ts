import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { parseManifests } from '../../src/gitops/documents';
import { chartOfTemplate } from '../../src/gitops/helmTemplate';
import { skipReason } from '../../src/gitops/scope';
import { GitOpsValidator } from '../../src/gitops/validator';
import { cli } from '../support/cli';

// Public reference repositories, vendored with their provenance (test/fixtures/corpora/PROVENANCE.md).
const CORPORA = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'corpora');

interface Finding {
  file: string;
  line: number;
  severity: string;
  code: string;
  message: string;
}

/** A finding we expect on a corpus, and why a maintainer of that repository would agree with it. */
interface Expected {
  at: string;
  severity: 'warning' | 'info';
  code: string;
  why: string;
}

interface Corpus {
  folder: string;
  summary: string;
  skipped?: string;
  expected: Expected[];
}

const corpora: Corpus[] = [
  {
    folder: 'fluxcd__flux2-kustomize-helm-example',
    // The podinfo values patches (apps/*/podinfo-values.yaml) are patches of the kustomization
    // beside them; the Kustomizations of clusters/* take ExternalArtifacts the ArtifactGenerators
    // of clusters/*/artifacts.yaml make. Its HelmRepository (apps/base/podinfo/repository.yaml) is checked too.
    summary: '26 YAML files read, 12 with Flux or Argo CD kinds checked: 0 errors, 0 other findings',
    expected: [],
  },
  {
    folder: 'fluxcd__flux2-multi-tenancy',
    summary: '23 YAML files read, 9 with Flux or Argo CD kinds checked: 0 errors, 2 other findings',
    expected: [
      {
        at: 'infrastructure/kyverno/source.yaml:1',
        severity: 'warning',
        code: 'OCI000',
        why: 'source.toolkit.fluxcd.io/v1beta2 was removed in Flux 2.8: source-controller v1.8 and later serve only v1 (test/fixtures/crds), so this object no longer applies on current Flux; the fix is the apiVersion alone',
      },
      {
        at: 'infrastructure/kyverno/source.yaml:12',
        severity: 'info',
        code: 'OCI017',
        why: 'keyless verification without matchOIDCIdentity accepts any Sigstore signer; the Flux docs allow it, so it is advice, not a fault',
      },
    ],
  },
  {
    folder: 'fluxcd__flux2-monitoring-example',
    // loki-stack/release.yaml holds Grafana and Loki {{ … }} templates as YAML strings in its
    // values: it is checked, not skipped as a Helm template. Its HelmRepository is checked too.
    summary: '16 YAML files read, 6 with Flux or Argo CD kinds checked: 0 errors, 0 other findings',
    expected: [],
  },
  {
    folder: 'argoproj__argo-cd',
    summary: '195 YAML files read, 2 with Flux or Argo CD kinds checked: 0 errors, 2 other findings',
    skipped: "Skipped 15 Helm templates (13 in a chart's templates/ folder, 2 with {{ }} template actions)",
    expected: [
      {
        at: 'docs/operator-manual/application.yaml:21',
        severity: 'warning',
        code: 'ARGO003',
        why: 'the reference lists spec.source, spec.sources and spec.sourceHydrator together to document all three; Argo CD uses only the hydrator when it is set (ApplicationSpec.GetSources), so an Application written like it would not deploy what its source says',
      },
      {
        at: 'docs/operator-manual/application.yaml:206',
        severity: 'warning',
        code: 'ARGO003',
        why: 'the same for spec.sources (docs/user-guide/source-hydrator.md; multiple_sources.md says sources in turn wins over source)',
      },
    ],
  },
  {
    folder: 'fluxcd__flux2-hub-spoke-example',
    // The hub's Kustomizations (hub/*.yaml) apply deploy/* to each spoke through spec.kubeConfig,
    // with per-cluster patches; its HelmRepository is an OCI registry path (oci://ghcr.io/stefanprodan/charts).
    summary: '27 YAML files read, 7 with Flux or Argo CD kinds checked: 0 errors, 0 other findings',
    expected: [],
  },
  {
    folder: 'bjw-s-labs__home-ops',
    // One Flux Kustomization per app (ks.yaml, targetNamespace), HelmReleases from OCIRepository chartRefs
    // beside them without a namespace, YAML anchors, and a parent (kubernetes/flux/cluster/ks.yaml) whose
    // spec.patches give every child Kustomization HelmRelease defaults.
    summary: '533 YAML files read, 238 with Flux or Argo CD kinds checked: 0 errors, 0 other findings',
    expected: [],
  },
  {
    folder: 'mirceanton__home-ops',
    // The same layout with kustomize `namespace:` on each namespace folder, anchors in 129 files and merge keys.
    summary: '732 YAML files read, 308 with Flux or Argo CD kinds checked: 0 errors, 0 other findings',
    expected: [],
  },
  {
    folder: 'rcdailey__home-ops',
    // HelmReleases whose OCIRepository has no namespace, or another one, until the Flux Kustomization's
    // targetNamespace puts both in one (apps/rook-ceph/*, apps/storage/volsync): today's main warned FLUX005 three times.
    summary: '441 YAML files read, 170 with Flux or Argo CD kinds checked: 0 errors, 2 other findings',
    expected: [
      {
        at: 'kubernetes/apps/kube-system/intel-gpu-resource-driver/helmrelease.yaml:11',
        severity: 'info',
        code: 'FLUX006',
        why: 'its OCIRepository (ocirepository.yaml beside it) has no layerSelector, so Flux unpacks the chart; the Flux docs recommend selecting the chart layer with operation copy, which helm-controller then uses as published. Advice, not a fault',
      },
      {
        at: 'kubernetes/flux/meta/repos/garage-s3-operator.yaml:11',
        severity: 'info',
        code: 'OCI012',
        why: 'ref.tag: latest moves with every push of the manifests, so what the cluster runs changes without a commit; the owner publishes that image and may want exactly that, so it is advice',
      },
    ],
  },
  {
    folder: 'damacus__home-ops',
    // chartRef.name: *app aliases (konflate, gatus, grafana) and kustomize `namespace:` with targetNamespace
    // (tempo, traefik): today's main gave three FLUX001 errors and two FLUX005 warnings.
    summary: '550 YAML files read, 168 with Flux or Argo CD kinds checked: 0 errors, 1 other finding',
    expected: [
      {
        at: 'kubernetes/apps/kube-system/reflector/app/helmrelease.yaml:20',
        severity: 'info',
        code: 'FLUX006',
        why: 'the OCIRepository "emberstack" it names has no layerSelector, so Flux unpacks the chart instead of keeping the published tarball; advice, not a fault',
      },
    ],
  },
  {
    folder: 'mmalyska__home-ops',
    // Argo CD: one ApplicationSet per namespace (cluster/appsets/*): a git files generator with a
    // selector, goTemplate with missingkey=error and a templatePatch; the apps are umbrella Helm charts
    // whose templates are skipped.
    summary: '391 YAML files read, 7 with Flux or Argo CD kinds checked: 0 errors, 0 other findings',
    skipped: "Skipped 152 Helm templates (152 in a chart's templates/ folder)",
    expected: [],
  },
  {
    folder: 'gitops-bridge-dev__gitops-bridge-argocd-control-plane-template',
    // 52 ApplicationSets, each a merge of cluster generators selected by labels, with template values
    // read from the cluster secret's annotations: the addons of every cluster a control plane registers.
    summary: '85 YAML files read, 52 with Flux or Argo CD kinds checked: 0 errors, 0 other findings',
    skipped: "Skipped 1 Helm template (1 in a chart's templates/ folder)",
    expected: [],
  },
  {
    folder: 'aws-samples__eks-blueprints-add-ons',
    // 38 ApplicationSets (argocd/bootstrap/control-plane/addons/*) with cluster generators, and
    // 47 Applications in the app-of-apps chart (chart/templates), which is skipped.
    summary: '287 YAML files read, 38 with Flux or Argo CD kinds checked: 0 errors, 0 other findings',
    skipped: "Skipped 67 Helm templates (67 in a chart's templates/ folder)",
    expected: [],
  },
  {
    folder: 'stefanprodan__gitops-istio',
    // Flux HelmReleases for Istio and Flagger Canaries, from HelmRepositories.
    summary: '24 YAML files read, 4 with Flux or Argo CD kinds checked: 0 errors, 0 other findings',
    expected: [],
  },
];

describe('oci-gitops validate on public GitOps repositories', () => {
  for (const corpus of corpora) {
    test(`${corpus.folder}: no error, and only the findings its maintainers would agree with`, async () => {
      const dir = join(CORPORA, corpus.folder);
      const result = await cli(['validate', '--format', 'json', dir]);
      const findings = JSON.parse(result.stdout) as Finding[];
      const got = findings.map((f) => `${relative(dir, f.file)}:${f.line} ${f.severity} ${f.code}`);
      assert.deepEqual(
        got,
        corpus.expected.map((e) => `${e.at} ${e.severity} ${e.code}`),
        findings.map((f) => `${relative(dir, f.file)}:${f.line} ${f.code} ${f.message}`).join('\n'),
      );
      assert.equal(result.code, 0);
      const [summary, skipped] = result.stderr.trim().split('\n');
      assert.equal(summary, corpus.summary);
      assert.equal(skipped?.replace(/:.*/, ''), corpus.skipped);
    });
  }

  test('every vendored tree is validated above and holds the YAML files and documents its provenance row lists', () => {
    const rows = provenanceRows();
    const folders = readdirSync(CORPORA, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    assert.deepEqual([...folders].sort(), corpora.map((corpus) => corpus.folder).sort());
    for (const folder of folders) {
      const files = yamlFiles(join(CORPORA, folder));
      const documents = files.reduce(
        (sum, file) => sum + parseManifests(readFileSync(file, 'utf8')).documents.filter((d) => d.doc.contents !== null).length,
        0,
      );
      assert.equal(`${files.length} / ${documents}`, rows.get(folder), folder);
    }
  });

  test("every file under a chart's templates/ folder in the corpora is skipped where the editor asks (by place), and by the validator alone when it has template actions", async () => {
    const validator = new GitOpsValidator();
    const templates = yamlFiles(CORPORA).filter((file) => chartOfTemplate(file, existsSync) !== undefined);
    assert.ok(templates.length >= 13, `${templates.length} chart templates`);
    const notSkipped: string[] = [];
    for (const file of templates) {
      const text = readFileSync(file, 'utf8');
      if (skipReason(text, file, existsSync) !== 'chart-template') notSkipped.push(relative(CORPORA, file));
      // An unsaved copy of it (no path) gets nothing either, when it holds template actions.
      if (text.includes('{{') && (await validator.validate(text)).length > 0) notSkipped.push(`${relative(CORPORA, file)} (text only)`);
    }
    assert.deepEqual(notSkipped, []);
  });
});

/** The Files / documents column of PROVENANCE.md's table, by folder. */
function provenanceRows(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(join(CORPORA, 'PROVENANCE.md'), 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length > 2 && cells[1] !== '' && existsSync(join(CORPORA, cells[1]))) rows.set(cells[1], cells[cells.length - 2]);
  }
  return rows;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}
