import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { Diagnostic } from '../../src/gitops/diagnostic';
import { indexSources } from '../../src/gitops/engine';
import { validateYaml } from '../support/validateYaml';
import { sourceDeclarations, sourceReferenceAt } from '../../src/gitops/sourceReferences';
import { GitOpsValidator } from '../../src/gitops/validator';

// Flux Bucket (src/gitops/kinds/bucket.ts). What each rule stands on, at source-controller v1.9.1
// (the CRD vendored in test/fixtures/crds) and the minio-go v7.2.0 it builds with:
// - the CRD's x-kubernetes-validations (CEL), which the API server enforces;
// - internal/bucket/minio/minio.go: generic and aws go to minio.New(spec.endpoint, {Secure: !insecure}),
//   and minio-go's getEndpointURL puts the scheme in front and refuses a path ("Endpoint url cannot
//   have fully qualified paths"), a bucket's S3 or GCS virtual host, and bucket names
//   s3utils.CheckValidBucketName refuses;
// - internal/bucket/azure/blob.go: spec.endpoint goes as it is to the Azure SDK (a URL);
// - internal/bucket/gcp/gcp.go: never reads spec.endpoint or spec.insecure;
// - internal/controller/bucket_controller.go: spec.ignore through fluxcd/pkg sourceignore.ReadPatterns,
//   whose patterns (go-git's gitignore) match each path part with Go's filepath.Match.

const CRD = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'crds', 'source.toolkit.fluxcd.io_buckets.yaml');

const codes = (found: Diagnostic[]) => found.map((d) => d.code).sort();
const at = (text: string, d: Diagnostic) => text.slice(d.start, d.end);
const applyFix = (text: string, d: Diagnostic) =>
  [...d.fix!.edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);

/** A Bucket with the fields every example has, and `spec` lines added (two-space indented). */
const bucket = (spec: string, name = 'podinfo') => `apiVersion: source.toolkit.fluxcd.io/v1
kind: Bucket
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 5m0s
  bucketName: podinfo
${spec}`;

const kustomization = (sourceKind: string, name: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: ${sourceKind}
    name: ${name}
`;

describe('Flux Bucket', () => {
  const validator = new GitOpsValidator();

  // docs/spec/v1/buckets.md at source-controller v1.9.1, one example per provider and feature.
  const docsExamples: [string, string, string[]][] = [
    [
      'generic, in-cluster MinIO over plain HTTP',
      bucket(
        '  provider: generic\n  endpoint: minio.minio.svc.cluster.local:9000\n  timeout: 60s\n  insecure: true\n  secretRef:\n    name: minio-credentials\n',
      ),
      ['BUCKET006'],
    ],
    ['aws with EC2 credentials', bucket('  provider: aws\n  endpoint: s3.amazonaws.com\n  region: us-east-1\n  timeout: 30s\n'), []],
    [
      'aws object-level workload identity',
      bucket('  provider: aws\n  endpoint: s3.amazonaws.com\n  region: us-east-1\n  serviceAccountName: aws-workload-identity-sa\n'),
      [],
    ],
    [
      'azure with a service principal',
      bucket('  provider: azure\n  endpoint: https://podinfoaccount.blob.core.windows.net\n  secretRef:\n    name: azure-sp-auth\n'),
      [],
    ],
    [
      'gcp object-level workload identity',
      bucket('  provider: gcp\n  endpoint: storage.googleapis.com\n  region: us-east-1\n  serviceAccountName: gcp-workload-identity-sa\n'),
      [],
    ],
    [
      'generic with an LDAP STS',
      bucket(
        '  provider: generic\n  endpoint: minio.example.com\n  sts:\n    provider: ldap\n    endpoint: https://ldap.example.com\n    secretRef:\n      name: ldap-credentials\n    certSecretRef:\n      name: ldap-tls\n',
      ),
      [],
    ],
    [
      'excluding files with spec.ignore',
      bucket(
        '  endpoint: minio.example.com\n  ignore: |\n    # exclude all\n    /*\n    # include deploy dir\n    !/deploy\n    # exclude file extensions from deploy dir\n    /deploy/**/*.md\n    /deploy/**/*.txt\n',
      ),
      [],
    ],
  ];
  for (const [name, text, expected] of docsExamples) {
    test(`the Flux docs' ${name} example passes (only plain HTTP to a remote host is an information)`, async () => {
      assert.deepEqual(codes(await validator.validate(text)), expected);
    });
  }

  test('its schema is the CRD’s: a misspelt field and a provider outside the enum are schema errors, and bucketName and endpoint are required', async () => {
    const text = bucket('  provider: s3\n  endpoint: minio.example.com\n  bucketname: x\n');
    assert.deepEqual((await validator.validate(text)).map((d) => [d.code, at(text, d)]).sort(), [
      ['SCHEMA', 'bucketname'],
      ['SCHEMA', 's3'],
    ]);
    // With interval, it is a whole object (a document with none of the three is taken for a patch).
    const missing = await validator.validate(
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\nmetadata:\n  name: b\nspec:\n  interval: 5m\n',
    );
    assert.deepEqual(missing.map((d) => d.message.replace(/^Missing required field "(.+)"\.$/, '$1')).sort(), ['bucketName', 'endpoint']);
  });

  describe("the CRD's CEL rules (the API server rejects the Bucket)", () => {
    test('this test covers every rule the vendored CRD has', () => {
      const crd = parseAllDocuments(readFileSync(CRD, 'utf8'))
        .map((d) => d.toJS())
        .find((d) => d?.kind === 'CustomResourceDefinition');
      const rules = (crd.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] as { rule: string }[]).map(
        (r) => r.rule,
      );
      assert.deepEqual(rules, [
        "self.provider == 'aws' || self.provider == 'generic' || !has(self.sts)",
        "self.provider != 'aws' || !has(self.sts) || self.sts.provider == 'aws'",
        "self.provider != 'generic' || !has(self.sts) || self.sts.provider == 'ldap'",
        "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.secretRef)",
        "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.certSecretRef)",
        "self.provider != 'generic' || !has(self.serviceAccountName)",
        '!has(self.secretRef) || !has(self.serviceAccountName)',
      ]);
    });

    test('spec.sts only with the aws (sts aws) and generic (sts ldap) providers; the aws STS takes no secrets', () => {
      const sts = (provider: string, stsProvider: string, extra = '') =>
        bucket(
          `  provider: ${provider}\n  endpoint: s3.amazonaws.com\n  sts:\n    provider: ${stsProvider}\n    endpoint: https://sts.amazonaws.com\n${extra}`,
        );
      const azure = sts('azure', 'aws').replace('s3.amazonaws.com', 'https://a.blob.core.windows.net');
      const [onAzure] = validateYaml(azure);
      assert.equal(onAzure.code, 'BUCKET001');
      assert.equal(at(azure, onAzure), 'sts');
      const wrong = sts('aws', 'ldap');
      assert.deepEqual(
        validateYaml(wrong).map((d) => [d.code, d.severity, at(wrong, d)]),
        [['BUCKET001', 'error', 'ldap']],
      );
      const defaulted = sts('generic', 'aws').replace('  provider: generic\n', '');
      const [onDefault] = validateYaml(defaulted);
      assert.match(onDefault.message, /generic provider \(the default\), spec\.sts\.provider must be ldap/);
      const secrets = sts('aws', 'aws', '    secretRef:\n      name: s\n    certSecretRef:\n      name: c\n');
      assert.deepEqual(
        validateYaml(secrets).map((d) => at(secrets, d)),
        ['secretRef', 'certSecretRef'],
      );
      assert.deepEqual(validateYaml(sts('aws', 'aws')), []);
    });

    test('serviceAccountName is workload identity: not with the generic provider (the default), and not together with secretRef', () => {
      const generic = bucket('  endpoint: minio.example.com\n  serviceAccountName: reader\n');
      const [finding] = validateYaml(generic);
      assert.deepEqual([finding.code, finding.severity, at(generic, finding)], ['BUCKET002', 'error', 'serviceAccountName']);
      assert.match(finding.message, /default when spec\.provider is left out/);
      const both = bucket(
        '  provider: gcp\n  endpoint: storage.googleapis.com\n  secretRef:\n    name: sa-key\n  serviceAccountName: reader\n',
      );
      assert.deepEqual(codes(validateYaml(both)), ['BUCKET002']);
      assert.match(validateYaml(both)[0].message, /either spec\.secretRef or spec\.serviceAccountName/);
    });
  });

  describe('the endpoint each provider’s client takes', () => {
    test('generic and aws: host[:port] without a scheme; the quick fix removes https://', () => {
      for (const provider of ['generic', 'aws']) {
        const text = bucket(`  provider: ${provider}\n  endpoint: https://minio.example.com:9000\n`);
        const [finding] = validateYaml(text);
        assert.deepEqual([finding.code, finding.severity, at(text, finding)], ['BUCKET003', 'error', 'https://minio.example.com:9000']);
        assert.match(finding.message, /Endpoint url cannot have fully qualified paths/);
        assert.deepEqual(validateYaml(applyFix(text, finding)), []);
      }
    });

    test('generic: an http:// endpoint means plain HTTP, so the quick fix also sets insecure: true', () => {
      const text = bucket('  endpoint: http://minio:9000\n');
      const [finding] = validateYaml(text);
      assert.equal(finding.fix!.title, 'Remove http:// and set insecure: true');
      const fixed = applyFix(text, finding);
      assert.match(fixed, /\n {2}insecure: true\n {2}interval: 5m0s\n/);
      assert.match(fixed, /\n {2}endpoint: minio:9000\n/);
      assert.deepEqual(codes(validateYaml(fixed)), ['BUCKET006'], 'plain HTTP to a remote host stays an information');
    });

    test('insecure: true with an https:// endpoint contradicts itself: an error, with no fix since either may be meant', () => {
      const text = bucket('  endpoint: https://minio.example.com\n  insecure: true\n');
      const [finding] = validateYaml(text);
      assert.equal(finding.code, 'BUCKET003');
      assert.match(finding.message, /contradicts insecure: true/);
      assert.equal(finding.fix, undefined);
    });

    test('generic and aws: a path in the endpoint is refused, and the bucket’s virtual-hosted name is not the S3 endpoint', () => {
      const path = bucket('  endpoint: minio.example.com/podinfo\n');
      assert.match(validateYaml(path)[0].message, /has a path.*spec\.bucketName/);
      const virtual = bucket('  provider: aws\n  endpoint: podinfo.s3.amazonaws.com\n');
      const [finding] = validateYaml(virtual);
      assert.match(finding.message, /Amazon S3 endpoint should be 's3\.amazonaws\.com'/);
      assert.match(applyFix(virtual, finding), /endpoint: s3\.amazonaws\.com\n/);
      const other = bucket('  provider: aws\n  endpoint: assets.s3.amazonaws.com\n');
      assert.equal(
        validateYaml(other)[0].fix,
        undefined,
        'the endpoint names another bucket than bucketName: which one is meant is not certain',
      );
      assert.match(
        validateYaml(bucket('  endpoint: www.googleapis.com\n'))[0].message,
        /Google Cloud Storage endpoint should be 'storage\.googleapis\.com'/,
      );
      assert.deepEqual(
        validateYaml(bucket('  provider: aws\n  endpoint: podinfo.s3.eu-west-1.amazonaws.com\n')),
        [],
        'minio-go refuses only the global virtual host',
      );
    });

    test('aws: a regional endpoint and another spec.region disagree (requests are signed for spec.region)', () => {
      const text = bucket('  provider: aws\n  endpoint: s3.eu-west-1.amazonaws.com\n  region: us-east-1\n');
      const [finding] = validateYaml(text);
      assert.deepEqual([finding.code, finding.severity, at(text, finding)], ['BUCKET005', 'warning', 'us-east-1']);
      assert.deepEqual(validateYaml(text.replace('us-east-1', 'eu-west-1')), []);
    });

    test('azure: the blob service URL with its scheme; the quick fix adds https://, and plain HTTP to a remote host is an information', () => {
      const text = bucket('  provider: azure\n  endpoint: podinfoaccount.blob.core.windows.net\n');
      const [finding] = validateYaml(text);
      assert.deepEqual([finding.code, finding.severity], ['BUCKET003', 'error']);
      assert.deepEqual(validateYaml(applyFix(text, finding)), []);
      assert.deepEqual(codes(validateYaml(bucket('  provider: azure\n  endpoint: http://podinfoaccount.blob.core.windows.net\n'))), [
        'BUCKET006',
      ]);
      assert.deepEqual(
        validateYaml(bucket('  provider: azure\n  endpoint: http://127.0.0.1:10000/devstoreaccount1\n')),
        [],
        'Azurite on this machine',
      );
    });

    test('azure and gcp ignore insecure and certSecretRef, and gcp any endpoint but storage.googleapis.com: warnings on the ignored field', () => {
      const azure = bucket(
        '  provider: azure\n  endpoint: https://a.blob.core.windows.net\n  insecure: true\n  certSecretRef:\n    name: ca\n',
      );
      const found = validateYaml(azure);
      assert.deepEqual(
        found.map((d) => [d.code, d.severity, at(azure, d)]),
        [
          ['BUCKET005', 'warning', 'insecure'],
          ['BUCKET005', 'warning', 'certSecretRef'],
        ],
      );
      assert.match(found[0].message, /scheme of spec\.endpoint decides, and it says https/);
      const gcp = bucket('  provider: gcp\n  endpoint: minio.example.com\n');
      assert.deepEqual(
        validateYaml(gcp).map((d) => [d.code, at(gcp, d)]),
        [['BUCKET005', 'minio.example.com']],
      );
    });
  });

  test('bucketName: a path goes in prefix (any provider); generic and aws refuse what minio-go refuses', () => {
    const path = bucket('  provider: gcp\n  endpoint: storage.googleapis.com\n').replace(
      'bucketName: podinfo',
      'bucketName: podinfo/clusters/prod',
    );
    const [finding] = validateYaml(path);
    assert.deepEqual([finding.code, finding.severity], ['BUCKET004', 'error']);
    assert.match(finding.message, /the bucket is "podinfo"; put "clusters\/prod" in spec\.prefix/);
    for (const name of ['ab', 'my..bucket', 'my_bucket-', '192.168.1.1'])
      assert.deepEqual(
        codes(validateYaml(bucket('  endpoint: minio.example.com\n').replace('bucketName: podinfo', `bucketName: "${name}"`))),
        ['BUCKET004'],
        name,
      );
    assert.deepEqual(
      validateYaml(bucket('  endpoint: minio.example.com\n').replace('bucketName: podinfo', 'bucketName: Podinfo_Assets')),
      [],
    );
  });

  test('ignore: a pattern source-controller can never match is a warning on its own line', () => {
    const text = bucket(
      '  endpoint: minio.example.com\n  ignore: |\n    # generated files\n    *.[ch\n    deploy/**.md\n    build\\\n      # not a comment\n    !/deploy\n    [!z]*.txt\n',
    );
    const found = validateYaml(text);
    assert.deepEqual(
      found.map((d) => [d.code, d.severity, at(text, d)]),
      [
        ['BUCKET007', 'warning', '*.[ch'],
        ['BUCKET007', 'warning', 'deploy/**.md'],
        ['BUCKET007', 'warning', 'build\\'],
        ['BUCKET007', 'warning', '  # not a comment'],
      ],
    );
    assert.match(found[0].message, /line 2 .*never matches.*not closed/);
    assert.match(found[1].message, /only takes "\*\*" as a whole part/);
    assert.match(found[2].message, /ends with an unescaped "\\"/);
    assert.match(found[3].message, /is not a comment/);
    const inline = bucket('  endpoint: minio.example.com\n  ignore: "[]"\n');
    assert.deepEqual(
      validateYaml(inline).map((d) => at(inline, d)),
      ['"[]"'],
      'a one-line value: the finding is on the value',
    );
  });

  test('a kustomize patch of a Bucket is checked for what it sets, not for the provider or fields it leaves to the object it patches', async () => {
    const patch =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\nmetadata:\n  name: podinfo\nspec:\n  serviceAccountName: reader\n  ignore: |\n    deploy/**.md\n';
    assert.deepEqual(codes(await validator.validate(patch, undefined, undefined, 'patch')), ['BUCKET007']);
  });

  describe('as a source', () => {
    test("a Kustomization's sourceRef to a Bucket resolves in the same file or another indexed one; a missing one warns on its name (the CRD's sourceRef enum has Bucket)", async () => {
      const source = bucket('  endpoint: minio.example.com\n', 'apps');
      assert.deepEqual(await validator.validate(`${source}---\n${kustomization('Bucket', 'apps')}`, new Map()), []);
      assert.deepEqual(await validator.validate(kustomization('Bucket', 'apps'), indexSources([source])), []);
      const missing = kustomization('Bucket', 'app');
      const [finding] = await validator.validate(missing, indexSources([source]));
      assert.deepEqual([finding.code, finding.severity, at(missing, finding)], ['FLUX005', 'warning', 'app']);
      assert.match(finding.message, /No Bucket "app" in namespace "flux-system"/);
    });

    test("a FluxInstance syncing from a Bucket declares the cluster's own Bucket; flux-system missing is an information", async () => {
      const instance =
        'apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  distribution:\n    version: "2.x"\n    registry: ghcr.io/fluxcd\n  sync:\n    kind: Bucket\n    url: minio.example.com\n    ref: fleet\n    path: clusters/prod\n';
      assert.deepEqual(await validator.validate(kustomization('Bucket', 'flux-system'), indexSources([instance])), []);
      const found = await validator.validate(kustomization('Bucket', 'flux-system'), new Map());
      assert.deepEqual(codes(found), ['FLUX005']);
      assert.equal(found[0].severity, 'info');
      assert.match(found[0].message, /flux create source bucket/);
    });

    test('go-to-definition jumps from a sourceRef to the Bucket', () => {
      const text = `${bucket('  endpoint: minio.example.com\n', 'apps')}---\n${kustomization('Bucket', 'apps')}`;
      const reference = sourceReferenceAt(text, text.lastIndexOf('apps') + 1)!;
      assert.equal(reference.key, 'Bucket:flux-system/apps');
      const declared = sourceDeclarations(text).get(reference.key)!;
      assert.equal(text.slice(declared[0], declared[1]), 'apps');
      assert.equal(declared[0], text.indexOf('name: apps') + 6);
    });

    test("a HelmRelease's chartRef cannot name a Bucket (its CRD enum: OCIRepository, HelmChart, ExternalArtifact)", () => {
      const release =
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\nspec:\n  interval: 10m\n  chartRef:\n    kind: Bucket\n    name: apps\n';
      assert.deepEqual(codes(validateYaml(release, new Map())), ['FLUX004']);
    });
  });
});
