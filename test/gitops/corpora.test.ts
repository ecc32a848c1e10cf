import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
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

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}
