// Load on first use, checked on the shipped bundles (dist/, built by `npm run package`): which of
// esbuild's output files a process actually loads, seen by a module load hook, and what each of
// them holds, from esbuild's metafile. Timings are the benchmark's job; this is about what loads.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { OciClient, parseReference } from '../../src/oci';
import { pushArtifact } from '../integration/fixtures';
import { fake, fakeDocument } from '../support/fakeVscode';
import { recordModuleLoads, serveFakeVscode } from '../support/moduleHooks';
import { startRegistry, type RunningRegistry } from '../support/registry';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..');
const dist = join(root, 'dist');
const metaFile = join(dist, 'meta.json');

interface Meta {
  outputs: Record<string, { inputs: Record<string, unknown>; imports: { path: string; kind: string }[] }>;
}

function meta(): Meta {
  assert.ok(existsSync(metaFile), `${metaFile} is missing: run "npm run package" first`);
  return JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
}

/** Output files (dist/…) holding any input that matches. */
function outputsHolding(pattern: RegExp): string[] {
  return Object.entries(meta().outputs)
    .filter(([file, output]) => file.endsWith('.mjs') && Object.keys(output.inputs).some((input) => pattern.test(input)))
    .map(([file]) => file);
}

/** An output file and every file it imports statically, transitively: what loading it loads. */
function staticClosure(file: string): Set<string> {
  const outputs = meta().outputs;
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const i of outputs[f].imports) if (i.kind === 'import-statement' && i.path.startsWith('dist/')) visit(i.path);
  };
  visit(file);
  return seen;
}

const VALIDATOR = /node_modules\/yaml-language-server\/|src\/gitops\/(validator|schemaService)\.ts$/;
/** Any signing code: Sigstore, notation, cosign keys (src/signing/errors.ts is only an error class). */
const SIGNING = /node_modules\/@sigstore\/|src\/signing\/(?!errors\.ts$)/;
const REGISTRY_CLIENT = /node_modules\/undici\/|src\/oci\/client\.ts$/;
/** The cloud SDKs behind native sign-in (src/cloud/aws, src/cloud/gcp), loaded only when a provider signs in. */
const CLOUD_SDK = /node_modules\/(@aws-sdk|@smithy|google-auth-library|gaxios|gcp-metadata)\//;

function distFiles(urls: Iterable<string>): Set<string> {
  const prefix = pathToFileURL(dist).href;
  return new Set(
    [...urls]
      .map((u) => (u.startsWith('/') ? pathToFileURL(u).href : u))
      .filter((u) => u.startsWith(prefix))
      .map((u) => `dist${u.slice(prefix.length)}`),
  );
}

describe('the extension loads its features on first use (dist/extension.js in Node, with a stand-in vscode module)', () => {
  const loaded: string[] = [];
  let activatedWith: Set<string>;

  before(async () => {
    serveFakeVscode();
    recordModuleLoads(loaded);
    // As VS Code loads a CommonJS main: require(), through the same hooks.
    const extension = createRequire(__filename)(join(dist, 'extension.js')) as { activate(context: unknown): void };
    const storage = mkdtempSync(join(tmpdir(), 'oci-gitops-activation-'));
    extension.activate({
      subscriptions: [],
      secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined },
      extension: { packageJSON: { version: '0.0.0-test' } },
      extensionUri: { scheme: 'file', path: root },
      globalStorageUri: { scheme: 'file', path: storage },
    });
    activatedWith = distFiles(loaded);
  });

  test('activation loads the activation module and the small chunks it imports, nothing else', () => {
    assert.deepEqual([...activatedWith].sort(), [...staticClosure('dist/extension.js')].sort());
    for (const file of activatedWith) {
      assert.ok(!outputsHolding(VALIDATOR).includes(file), `${file} holds validator code`);
      assert.ok(!outputsHolding(SIGNING).includes(file), `${file} holds signing code`);
      assert.ok(!outputsHolding(REGISTRY_CLIENT).includes(file), `${file} holds the registry client`);
    }
    assert.ok(fake.log.some((line) => line.includes('OCI GitOps activated')));
  });

  test('every command contributed in package.json is registered at activation', () => {
    const contributed = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } }
    ).contributes.commands.map((c) => c.command);
    assert.deepEqual([...fake.commands.keys()].sort(), [...contributed].sort());
  });

  test('the MCP server is offered to VS Code at activation, and neither it nor the registry client loads until VS Code starts it', () => {
    const provider = fake.mcpProviders.get('ociGitops.mcp') as { provideMcpServerDefinitions(): { label: string }[] } | undefined;
    assert.ok(provider, 'the provider named in contributes.mcpServerDefinitionProviders is registered');
    assert.deepEqual(
      provider.provideMcpServerDefinitions().map((d) => d.label),
      ['OCI GitOps'],
    );
    const host = outputsHolding(/src\/vscode\/mcp\/mcpHost\.ts$/);
    assert.ok(host.length > 0, 'the metafile names the MCP host chunk');
    for (const file of distFiles(loaded)) assert.ok(!host.includes(file), `${file} holds the MCP host`);
  });

  test('opening and editing YAML files that hold none of our kinds loads no validator code', async () => {
    const configMap = fakeDocument(
      '/work/deploy/configmap.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  note: "argoproj.io/v1alpha1 is only mentioned here"\n',
    );
    fake.open(configMap);
    fake.open(fakeDocument('/work/.github/workflows/ci.yaml', 'name: ci\non: push\njobs: {}\n'));
    fake.changed.fire({ document: configMap, contentChanges: [{ text: 'x' }] });
    await new Promise((resolve) => setTimeout(resolve, 800));
    // After activation only the audit of the workspace's trust settings loads (it reads settings files).
    const allowed = new Set([...activatedWith, ...staticClosure('dist/features/vscode/workspaceTrustAudit.mjs')]);
    const extra = [...distFiles(loaded)].filter((file) => !allowed.has(file));
    assert.deepEqual(extra, [], 'nothing else was loaded after activation');
    for (const file of distFiles(loaded)) {
      assert.ok(!outputsHolding(VALIDATOR).includes(file), `${file} holds validator code`);
      assert.ok(!outputsHolding(REGISTRY_CLIENT).includes(file), `${file} holds the registry client`);
    }
    assert.ok(!fake.log.some((line) => line.includes('loading validation')));
  });

  test('the first YAML file that holds a Flux kind loads the validator (so the check above can fail)', async () => {
    fake.open(
      fakeDocument(
        '/work/clusters/source.yaml',
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\nspec:\n  interval: 5m\n  url: oci://ghcr.io/org/app\n',
      ),
    );
    const validator = outputsHolding(VALIDATOR);
    assert.ok(validator.length > 0, 'the metafile names the validator chunk');
    const deadline = Date.now() + 20_000;
    while (!validator.some((file) => distFiles(loaded).has(file))) {
      assert.ok(Date.now() < deadline, `the validator was not loaded; log:\n${fake.log.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(fake.log.some((line) => /source\.yaml holds Flux or Argo CD kinds: loading validation/.test(line)));
  });
});

describe('each CLI command loads only its own modules (dist/cli.js)', () => {
  let registry: RunningRegistry;

  before(async () => {
    registry = await startRegistry({ auth: 'none' });
    const client = new OciClient();
    await pushArtifact(client.repository(parseReference(`${registry.host}/fleet/app`)), '1.0.0');
    await client.close();
  });
  after(async () => {
    await registry?.stop();
  });

  async function loadedBy(args: string[], env: NodeJS.ProcessEnv = {}, mayFail = false): Promise<Set<string>> {
    const probe = join(mkdtempSync(join(tmpdir(), 'oci-gitops-probe-')), 'loaded.json');
    await run(process.execPath, ['--require', join(__dirname, '..', 'support', 'loadProbe.js'), join(dist, 'cli.js'), ...args], {
      env: { ...process.env, ...env, OCI_GITOPS_LOAD_PROBE: probe },
    }).catch((error: unknown) => {
      if (!mayFail) throw error;
    });
    return distFiles(JSON.parse(readFileSync(probe, 'utf8')) as string[]);
  }

  test('--help loads dist/cli.js alone: no ES module program, no command', async () => {
    assert.deepEqual([...(await loadedBy(['--help']))], ['dist/cli.js']);
  });

  test("a command's help (copy --help, help sign) loads dist/cli.js alone: the declarations hold it", async () => {
    assert.deepEqual([...(await loadedBy(['copy', '--help']))], ['dist/cli.js']);
    assert.deepEqual([...(await loadedBy(['help', 'sign']))], ['dist/cli.js']);
  });

  test('dist/cli.js holds the command declarations and none of their implementations', () => {
    const inputs = Object.keys(meta().outputs['dist/cli.js'].inputs);
    assert.ok(inputs.includes('src/cli/commandLine/copy.ts'), 'the declarations are bundled');
    assert.deepEqual(
      inputs.filter(
        (input) => /^src\/cli\/commands\//.test(input) || REGISTRY_CLIENT.test(input) || SIGNING.test(input) || VALIDATOR.test(input),
      ),
      [],
    );
  });

  for (const command of ['tags', 'inspect', 'repos'] as const) {
    test(`${command} loads the registry client, and neither the validator nor signing`, async () => {
      const args =
        command === 'tags'
          ? [`${registry.host}/fleet/app`]
          : command === 'inspect'
            ? [`${registry.host}/fleet/app:1.0.0`]
            : [registry.host];
      const files = await loadedBy([command, ...args]);
      assert.ok(
        outputsHolding(REGISTRY_CLIENT).some((file) => files.has(file)),
        'the probe sees the registry client load',
      );
      for (const file of files) {
        assert.ok(!outputsHolding(VALIDATOR).includes(file), `${command} loaded ${file}, which holds validator code`);
        assert.ok(!outputsHolding(SIGNING).includes(file), `${command} loaded ${file}, which holds signing code`);
        assert.ok(!outputsHolding(CLOUD_SDK).includes(file), `${command} loaded ${file}, which holds a cloud SDK`);
      }
    });
  }

  test('a cloud SDK loads when its provider signs in (so the check above can fail), and only its own', async () => {
    // A registry that asks for a login; no credentials file where GOOGLE_APPLICATION_CREDENTIALS
    // points: the library loads, then fails.
    const guarded = await startRegistry({ auth: 'htpasswd' });
    let files: Set<string>;
    try {
      files = await loadedBy(
        ['tags', `${guarded.host}/fleet/app`, '--provider', 'gcp'],
        { GOOGLE_APPLICATION_CREDENTIALS: join(tmpdir(), 'oci-gitops-no-such-credentials.json'), METADATA_SERVER_DETECTION: 'none' },
        true,
      );
    } finally {
      await guarded.stop();
    }
    assert.ok(
      outputsHolding(/node_modules\/google-auth-library\//).some((file) => files.has(file)),
      'the Google auth library loaded',
    );
    for (const file of files) assert.ok(!outputsHolding(/node_modules\/@aws-sdk\//).includes(file), `${file} holds the AWS SDK`);
  });

  test('validate loads the validator (so the checks above can fail)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'oci-gitops-validate-'));
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(folder, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    const files = await loadedBy(['validate', folder]);
    assert.ok(outputsHolding(VALIDATOR).some((file) => files.has(file)));
  });
});
