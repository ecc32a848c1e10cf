import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { Diagnostic } from '../../src/gitops/diagnostic';
import { indexSources } from '../../src/gitops/engine';
import { validateYaml } from '../support/validateYaml';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');

const codes = (text: string) =>
  validateYaml(text)
    .map((d) => d.code)
    .sort();
const at = (text: string, d: Diagnostic) => text.slice(d.start, d.end);
const applyFix = (text: string, d: Diagnostic) =>
  [...d.fix!.edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);

const FLUX_DOCS_EXAMPLE = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: podinfo
  namespace: default
spec:
  interval: 5m0s
  url: oci://ghcr.io/stefanprodan/manifests/podinfo
  ref:
    semver: ">=6.0.0 <7.0.0"
  verify:
    provider: cosign
    matchOIDCIdentity:
      - issuer: "^https://token.actions.githubusercontent.com$"
        subject: "^https://github.com/stefanprodan/podinfo.*$"
`;

const ARGO_DOCS_EXAMPLE = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  namespace: argocd
spec:
  project: default
  source:
    repoURL: oci://registry-1.docker.io/some-user/my-custom-image
    targetRevision: 1.16.1
    path: .
  destination:
    server: https://kubernetes.default.svc
    namespace: guestbook
  syncPolicy:
    syncOptions:
      - CreateNamespace=true
`;

describe('Flux OCIRepository rules', () => {
  test('the shapes from the Flux docs give no findings', () => {
    assert.deepEqual(validateYaml(FLUX_DOCS_EXAMPLE), []);
  });

  test('a tag in the url is an error on the url, and the quick fix moves it to spec.ref.tag', () => {
    const text =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/app:1.2.3\n';
    const finding = validateYaml(text).find((d) => d.code === 'OCI004')!;
    assert.equal(at(text, finding), 'oci://ghcr.io/org/app:1.2.3');
    const fixed = applyFix(text, finding);
    assert.match(fixed, /url: oci:\/\/ghcr\.io\/org\/app\n {2}ref:\n {4}tag: 1\.2\.3/);
    assert.deepEqual(codes(fixed), []);
  });

  test('url without oci:// gets a fix; url and interval are required', () => {
    const text =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  url: ghcr.io/org/app\n  ref:\n    tag: v1\n';
    const found = validateYaml(text);
    assert.deepEqual(found.map((d) => d.code).sort(), ['OCI002', 'OCI005']);
    assert.match(
      applyFix(
        text,
        found.find((d) => d.code === 'OCI002')!,
      ),
      /url: oci:\/\/ghcr\.io\/org\/app/,
    );
  });

  test('durations: interval takes h, timeout does not', () => {
    const base =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  url: oci://r.example.com/a\n  ref:\n    tag: v1\n';
    assert.deepEqual(codes(`${base}  interval: 1h\n  timeout: 1h\n`), ['OCI006']);
    assert.deepEqual(codes(`${base}  interval: five minutes\n`), ['OCI005']);
  });

  test('ref: missing means latest and "latest" moves (informations: the Flux docs do both), digest wins over semver and tag, bad digest and semver are errors', () => {
    const base =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  interval: 5m\n  url: oci://r.example.com/a\n';
    assert.deepEqual(codes(base), ['OCI007']);
    assert.deepEqual(codes(`${base}  ref:\n    tag: latest\n`), ['OCI012']);
    assert.deepEqual(
      [...validateYaml(base), ...validateYaml(`${base}  ref:\n    tag: latest\n`)].map((d) => d.severity),
      ['info', 'info'],
    );
    assert.deepEqual(codes(`${base}  ref:\n    digest: sha256:${'a'.repeat(64)}\n    tag: v1\n`), ['OCI011']);
    assert.deepEqual(codes(`${base}  ref:\n    digest: sha256:abc\n`), ['OCI008']);
    assert.deepEqual(codes(`${base}  ref:\n    semver: not a range\n`), ['OCI009']);
    assert.deepEqual(codes(`${base}  ref:\n    tag: v1\n    semverFilter: "(["\n`), ['OCI013', 'OCI014']);
  });

  test('a tag beside a digest is the pinned form (information: Renovate writes it so), a semver beside a digest or a tag beside a semver is a warning', () => {
    const base =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  interval: 5m\n  url: oci://r.example.com/a\n  ref:\n';
    const digest = `    digest: sha256:${'a'.repeat(64)}\n`;
    // Each finding names the key that is ignored or that only names the digest.
    const judged = (ref: string) => validateYaml(base + ref).map((d) => `${d.code} ${d.severity} ${(base + ref).slice(d.start, d.end)}`);
    assert.deepEqual(judged(`    tag: 6.14.1\n${digest}`), ['OCI011 info tag']);
    assert.deepEqual(judged(`    semver: ">=1.0.0"\n${digest}`), ['OCI011 warning semver']);
    assert.deepEqual(judged('    semver: ">=1.0.0"\n    tag: v1\n'), ['OCI011 warning tag']);
  });

  test('a semverFilter JavaScript accepts but Go refuses (a lookahead) is an error, as source-controller would reject it', () => {
    const text =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  interval: 5m\n  url: oci://r.example.com/a\n  ref:\n    semver: ">=1.0.0"\n    semverFilter: "^(?!dev).*"\n';
    assert.deepEqual(codes(text), ['OCI013']);
  });

  test('verify: notation needs a secret, keyless cosign without identities is noted (the Flux docs enable keyless that way), identities need compiling patterns', () => {
    const base =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  interval: 5m\n  url: oci://r.example.com/a\n  ref:\n    tag: v1\n';
    assert.deepEqual(codes(`${base}  verify:\n    provider: notation\n`), ['OCI018']);
    assert.deepEqual(codes(`${base}  verify:\n    provider: cosign\n`), ['OCI017']);
    assert.deepEqual(codes(`${base}  verify:\n    provider: cosign\n    matchOIDCIdentity:\n      - issuer: "("\n`), ['OCI016', 'OCI016']);
    assert.deepEqual(codes(`${base}  verify:\n    provider: gpg\n    secretRef:\n      name: k\n`), ['OCI015']);
  });

  test('insecure on a non-loopback registry is noted (it may be a trusted network); on localhost it is not', () => {
    const doc = (host: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  interval: 5m\n  insecure: true\n  url: oci://${host}/a\n  ref:\n    tag: v1\n`;
    assert.deepEqual(codes(doc('registry.example.com')), ['OCI020']);
    assert.deepEqual(codes(doc('localhost:5000')), []);
  });

  test('v1beta2 is flagged as removed in Flux 2.8', () => {
    assert.deepEqual(codes(FLUX_DOCS_EXAMPLE.replace('/v1\n', '/v1beta2\n')), ['OCI000']);
  });
});

describe('Argo CD Application rules', () => {
  test('the shape from the Argo CD OCI docs gives no findings', () => {
    assert.deepEqual(validateYaml(ARGO_DOCS_EXAMPLE), []);
  });

  test('an oci:// source needs path, with a quick fix adding path: .', () => {
    const text = ARGO_DOCS_EXAMPLE.replace('    path: .\n', '');
    const finding = validateYaml(text).find((d) => d.code === 'ARGO007')!;
    assert.ok(finding);
    assert.deepEqual(codes(applyFix(text, finding)), []);
  });

  test('a source hydrator stands for the source (Argo CD source-hydrator docs); a source beside it is ignored, which is warned', () => {
    const hydrated = ARGO_DOCS_EXAMPLE.replace(
      / {2}source:\n( {4}.*\n)+/,
      '  sourceHydrator:\n    drySource:\n      repoURL: https://github.com/argoproj/argocd-example-apps\n      path: helm-guestbook\n      targetRevision: HEAD\n    syncSource:\n      targetBranch: environments/dev\n      path: helm-guestbook\n',
    );
    assert.doesNotMatch(hydrated, /\n {2}source:/);
    assert.deepEqual(codes(hydrated), []);
    assert.deepEqual(
      codes(
        hydrated.replace('  sourceHydrator:', '  source:\n    repoURL: https://github.com/org/app.git\n    path: app\n  sourceHydrator:'),
      ),
      ['ARGO003'],
    );
  });

  test("an oci:// source with chart and no path is used from the artifact's root, as the Argo CD webhook docs show", () => {
    assert.deepEqual(codes(ARGO_DOCS_EXAMPLE.replace('    path: .\n', '    chart: mychart\n')), []);
  });

  test('destination server and name are exclusive, and one is required; project is required', () => {
    assert.deepEqual(
      codes(
        ARGO_DOCS_EXAMPLE.replace(
          '    server: https://kubernetes.default.svc\n',
          '    server: https://kubernetes.default.svc\n    name: in-cluster\n',
        ),
      ),
      ['ARGO002'],
    );
    assert.deepEqual(codes(ARGO_DOCS_EXAMPLE.replace('    server: https://kubernetes.default.svc\n', '')), ['ARGO002']);
    assert.deepEqual(codes(ARGO_DOCS_EXAMPLE.replace('  project: default\n', '')), ['ARGO001']);
  });

  test('a tag in repoURL, a bad targetRevision and unknown sync options are reported', () => {
    assert.deepEqual(codes(ARGO_DOCS_EXAMPLE.replace('my-custom-image\n', 'my-custom-image:1.0\n')), ['ARGO006']);
    assert.deepEqual(codes(ARGO_DOCS_EXAMPLE.replace('targetRevision: 1.16.1', 'targetRevision: "not/a revision"')), ['ARGO008']);
    assert.deepEqual(codes(ARGO_DOCS_EXAMPLE.replace('CreateNamespace=true', 'CreateNamespaces=true')), ['ARGO011']);
  });

  test('sources overrides source (warning) and ref names must be valid and unique', () => {
    const multi = ARGO_DOCS_EXAMPLE.replace(
      '  source:\n',
      '  sources:\n    - repoURL: https://github.com/org/values.git\n      ref: values\n    - repoURL: https://github.com/org/other.git\n      ref: values\n  source:\n',
    );
    assert.deepEqual(codes(multi), ['ARGO003', 'ARGO010']);
  });
});

describe('robustness', () => {
  test('other kinds and multi-document files: only our kinds are checked, each document on its own', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n${FLUX_DOCS_EXAMPLE}---\n${ARGO_DOCS_EXAMPLE.replace('  project: default\n', '')}`;
    const found = validateYaml(text);
    assert.deepEqual(
      found.map((d) => d.code),
      ['ARGO001'],
    );
    assert.ok(found[0].start > text.indexOf('kind: Application'));
  });

  test('bad input never throws or hangs: junk, tabs, anchors and aliases, huge scalars, 10,000 documents, binary', () => {
    const inputs = [
      '{{{{ ::: ]]]',
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n\tproject: x\n',
      'a: &a [*a, *a]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n',
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nspec:\n  url: oci://r/${'x'.repeat(2_000_000)}\n`,
      Array.from(
        { length: 10_000 },
        (_, i) =>
          `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a${i}\nspec:\n  interval: 5m\n  url: oci://r.example.com/a\n  ref:\n    tag: v1\n`,
      ).join('---\n'),
      Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
    ];
    for (const input of inputs) {
      const started = Date.now();
      assert.doesNotThrow(() => validateYaml(input));
      // A hang detector, not a timing: speed is measured by `npm run bench` (a loaded CI machine takes several seconds here).
      assert.ok(Date.now() - started < 60_000, 'bounded time');
    }
  });
});

describe('oci-gitops validate', () => {
  test('--format json gives 1-based findings and exit 1 when there is an error; a clean folder exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'validate-'));
    writeFileSync(join(dir, 'good.yaml'), FLUX_DOCS_EXAMPLE);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/app:1.2.3\n',
    );
    const failed = await run(process.execPath, [CLI, 'validate', '--format', 'json', dir]).catch(
      (error: { code: number; stdout: string }) => error,
    );
    assert.equal((failed as { code: number }).code, 1);
    const findings = JSON.parse((failed as { stdout: string }).stdout);
    const errors = findings.filter((f: { severity: string }) => f.severity === 'error');
    assert.deepEqual(errors, [
      { file: bad, line: 7, column: 8, endLine: 7, endColumn: 35, severity: 'error', code: 'OCI004', message: errors[0].message },
    ]);
    assert.deepEqual(findings.map((f: { code: string }) => f.code).sort(), ['OCI004', 'OCI007']);
    const good = await run(process.execPath, [CLI, 'validate', join(dir, 'good.yaml')]);
    assert.equal(good.stdout, '');
    const sarif = await run(process.execPath, [CLI, 'validate', '--format', 'sarif', bad]).catch((error: { stdout: string }) => error);
    assert.equal(JSON.parse((sarif as { stdout: string }).stdout).runs[0].results[0].ruleId, 'OCI004');
  });
});

describe('Flux Kustomization and HelmRelease rules', () => {
  const source =
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/podinfo\n  ref:\n    tag: 1.0.0\n';
  const kustomization = (name: string) =>
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: OCIRepository\n    name: ${name}\n`;

  test('a sourceRef to an OCIRepository of the same file or another indexed file resolves; a missing one warns on its name', () => {
    assert.deepEqual(codes(`${source}---\n${kustomization('podinfo')}`), []);
    assert.deepEqual(validateYaml(kustomization('podinfo'), indexSources([source])), []);
    const text = kustomization('podinf0');
    const [finding] = validateYaml(text, indexSources([source]));
    assert.equal(finding.code, 'FLUX005');
    assert.equal(at(text, finding), 'podinf0');
  });

  test('required fields and sourceRef kind are checked', () => {
    assert.deepEqual(codes(kustomization('podinfo').replace('  prune: true\n', '').replace('kind: OCIRepository', 'kind: OciRepository')), [
      'FLUX001',
      'FLUX004',
    ]);
  });

  test('a HelmRelease needs exactly one of chart and chartRef', () => {
    const release = (spec: string) =>
      `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: hello\nspec:\n  interval: 10m\n${spec}`;
    assert.deepEqual(codes(release('')), ['FLUX003']);
    assert.deepEqual(codes(release('  chart:\n    spec:\n      chart: hello\n  chartRef:\n    kind: OCIRepository\n    name: hello\n')), [
      'FLUX003',
    ]);
    assert.deepEqual(codes(release('  chartRef:\n    kind: OCIRepository\n    name: hello\n')), []);
  });
});

describe('snippets', () => {
  test('each scaffolding snippet, filled with its defaults, passes the rules', () => {
    const snippets = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'syntaxes', 'gitops-snippets.json'), 'utf8')) as Record<
      string,
      { body: string[] }
    >;
    const expand = (body: string[]) =>
      body
        .join('\n')
        .replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1')
        .replace(/\$\{\d+:([^}]*)\}/g, '$1')
        .replace(/\$(\d+)/g, (_, n: string) => (n === '0' ? '' : n === '1' ? 'app' : n === '2' ? 'flux-system' : 'x'))
        .replace('digest: sha256:', `digest: sha256:${'a'.repeat(64)}`);
    assert.equal(Object.keys(snippets).length, 2);
    for (const [name, snippet] of Object.entries(snippets)) assert.deepEqual(codes(expand(snippet.body)), [], name);
  });
});
