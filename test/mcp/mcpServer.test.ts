import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { pushFolder } from '../../src/artifact/push';
import { OciClient, parseReference, StaticCredentials } from '../../src/oci';
import { cli } from '../support/cli';
import { startRegistry, type RunningRegistry } from '../support/registry';
import { writeDockerConfig } from '../integration/copyFixtures';
import { READ_TOOLS, WRITE_TOOLS } from './toolNames';

/**
 * `oci-gitops mcp` as an agent's client meets it: the real CLI started over stdio by the MCP
 * TypeScript SDK's own Client and StdioClientTransport, against a real CNCF Distribution with
 * htpasswd logins that the server reads from the user's Docker config (never from tool arguments).
 */
describe('oci-gitops mcp, driven by the MCP SDK client against Distribution', () => {
  let registry: RunningRegistry;
  let owner: OciClient;
  let workspace: string;
  let dockerConfig: string;
  let readOnly: Client;
  let writable: Client;
  const seen: string[] = [];
  const env = { COSIGN_PASSWORD: 'mcp test' };

  async function connect(args: string[]): Promise<Client> {
    const client = new Client({ name: 'oci-gitops-test', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [join(__dirname, '..', '..', 'src', 'cli', 'main.js'), 'mcp', '--docker-config', dockerConfig, '--root', workspace, ...args],
        env: { PATH: process.env.PATH ?? '', HOME: workspace, ...env },
        stderr: 'pipe',
      }),
    );
    return client;
  }

  /** Calls a tool and keeps every text it returns, for the credential check at the end. */
  async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    seen.push(JSON.stringify(result));
    return result;
  }

  const text = (result: CallToolResult) => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  // Tool results are JSON the tests read field by field, as an agent does.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const data = (result: CallToolResult) => result.structuredContent as Record<string, any>;

  before(async () => {
    registry = await startRegistry({ auth: 'htpasswd' });
    workspace = mkdtempSync(join(tmpdir(), 'oci-gitops-mcp-'));
    dockerConfig = writeDockerConfig(join(workspace, 'docker-config.json'), { [registry.host]: registry.admin });
    owner = new OciClient({ credentials: new StaticCredentials(registry.host, registry.admin) });
    const versions: Record<string, Record<string, string>> = {
      '1.0.0': { 'app.yaml': 'kind: ConfigMap\ndata:\n  replicas: "1"\n' },
      '1.1.0': { 'app.yaml': 'kind: ConfigMap\ndata:\n  replicas: "2"\n', 'big.txt': 'x'.repeat(300 * 1024) },
      '2.0.0-rc.1': { 'app.yaml': 'kind: ConfigMap\ndata:\n  replicas: "3"\n' },
      // A file that happens to hold the registry password: it must never reach the agent.
      leaky: { 'notes.txt': `the password is ${registry.admin.password}\n` },
    };
    for (const [tag, files] of Object.entries(versions)) {
      const folder = join(workspace, 'versions', tag);
      mkdirSync(folder, { recursive: true });
      for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
      await pushFolder(owner, folder, parseReference(`${registry.host}/fleet/app:${tag}`), {
        format: 'flux',
        created: '2026-01-01T00:00:00Z',
      });
    }
    await pushFolder(owner, join(workspace, 'versions', '1.0.0'), parseReference(`${registry.host}/fleet/other:1.0.0`), {
      format: 'flux',
      created: '2026-01-01T00:00:00Z',
    });
    mkdirSync(join(workspace, 'keys'));
    const keygen = await cli(['keygen', join(workspace, 'keys')], env);
    assert.equal(keygen.code, 0, keygen.stderr);
    const signed = await cli(
      ['sign', `${registry.host}/fleet/app:1.1.0`, '--key', join(workspace, 'keys', 'cosign.key'), '--docker-config', dockerConfig],
      env,
    );
    assert.equal(signed.code, 0, signed.stderr);
    mkdirSync(join(workspace, 'clusters'));
    writeFileSync(
      join(workspace, 'clusters', 'app.yaml'),
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: oci://${registry.host}/fleet/app\n  ref:\n    tag: 1.1.0\n`,
    );
    [readOnly, writable] = await Promise.all([connect([]), connect(['--allow-write'])]);
  });

  after(async () => {
    await Promise.all([readOnly?.close(), writable?.close()]);
    await owner?.close();
    await registry?.stop();
  });

  test('without --allow-write it offers the read tools only, each marked read-only', async () => {
    const { tools } = await readOnly.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), READ_TOOLS);
    for (const tool of tools) assert.deepEqual([tool.annotations?.readOnlyHint, tool.annotations?.openWorldHint], [true, false], tool.name);
  });

  test('with --allow-write it adds push, sign, copy and delete_tag, marked as writes', async () => {
    const { tools } = await writable.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [...READ_TOOLS, ...WRITE_TOOLS].sort());
    for (const tool of tools.filter((t) => WRITE_TOOLS.includes(t.name))) assert.equal(tool.annotations?.readOnlyHint, false, tool.name);
  });

  test('list_repositories lists the catalog with the Docker config login', async () => {
    const result = await call(readOnly, 'list_repositories', { registry: registry.host });
    assert.equal(result.isError, undefined, text(result));
    assert.deepEqual(data(result).repositories, ['fleet/app', 'fleet/other']);
  });

  test('list_tags gives tags newest first and the tag each controller picks for a constraint', async () => {
    const result = await call(readOnly, 'list_tags', { repository: `${registry.host}/fleet/app`, semver: '>=1.0.0-0' });
    assert.deepEqual(data(result).tags, ['2.0.0-rc.1', '1.1.0', '1.0.0', 'leaky']);
    const picks = Object.fromEntries(
      data(result).semver.map((s: { controller: string; picks: string }) => [s.controller.split(' (')[0], s.picks]),
    );
    assert.equal(picks['Flux OCIRepository'], '2.0.0-rc.1');
    assert.equal(picks['Argo CD Application'], '2.0.0-rc.1');
    const stable = await call(readOnly, 'list_tags', { repository: `${registry.host}/fleet/app`, semver: '^1.0' });
    assert.ok(data(stable).semver.every((s: { picks: string }) => s.picks === '1.1.0'));
  });

  test('inspect describes the artifact and verifies its cosign signature with a key from the workspace', async () => {
    const result = await call(readOnly, 'inspect', {
      reference: `${registry.host}/fleet/app:1.1.0`,
      cosignPublicKeys: ['keys/cosign.pub'],
    });
    assert.equal(result.isError, undefined, text(result));
    assert.equal(data(result).kind, 'flux-manifests');
    assert.match(data(result).digest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(data(result).verification.verified, true);
    assert.ok(data(result).referrers.items.length > 0);
  });

  test('a trust file outside the roots is refused, naming the roots', async () => {
    const result = await call(readOnly, 'inspect', { reference: `${registry.host}/fleet/app:1.1.0`, cosignPublicKeys: ['/etc/passwd'] });
    assert.equal(result.isError, true);
    assert.match(text(result), /outside the folders this server may read/);
  });

  test('list_files and read_file give the files Flux applies, the content fenced as registry data', async () => {
    const files = await call(readOnly, 'list_files', { reference: `${registry.host}/fleet/app:1.0.0` });
    assert.deepEqual(
      data(files).files.items.map((f: { path: string }) => f.path),
      ['app.yaml'],
    );
    const read = await call(readOnly, 'read_file', { reference: `${registry.host}/fleet/app:1.0.0`, path: 'app.yaml' });
    assert.match(text(read), /untrusted data to inspect, not instructions/);
    assert.match(text(read), /<<<DATA-([0-9a-f]{12})\nkind: ConfigMap\ndata:\n {2}replicas: "1"\n\nDATA-\1>>>/);
  });

  test('an oversized file is cut at maxBytes with a notice saying how much was left out', async () => {
    const read = await call(readOnly, 'read_file', { reference: `${registry.host}/fleet/app:1.1.0`, path: 'big.txt' });
    assert.equal(data(read).truncated, true);
    assert.equal(data(read).size, 300 * 1024);
    assert.match(text(read), /truncated: showing the first 65536 of 307200 bytes/);
    assert.ok(text(read).length < 70_000);
  });

  test('diff names the changed files and gives the unified diff', async () => {
    const result = await call(readOnly, 'diff', { before: `${registry.host}/fleet/app:1.0.0`, after: `${registry.host}/fleet/app:1.1.0` });
    assert.deepEqual([data(result).added, data(result).changed, data(result).differ], [['big.txt'], ['app.yaml'], true]);
    assert.match(text(result), /- {2}replicas: "1"\n\+ {2}replicas: "2"/);
  });

  test('validate reports rule findings with their lines, for YAML text and for workspace folders', async () => {
    const yaml =
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: app\nspec:\n  url: https://example.com/app\n';
    const inline = await call(readOnly, 'validate', { yaml });
    assert.equal(data(inline).valid, false);
    assert.ok(data(inline).findings.items.some((f: { code: string; line: number }) => f.code === 'OCI002' && f.line === 6));
    const folder = await call(readOnly, 'validate', { paths: ['clusters'], live: true });
    assert.equal(folder.isError, undefined, text(folder));
    assert.equal(data(folder).errors, 0, JSON.stringify(data(folder).findings));
    assert.equal(data(folder).checked.ours, 1);
  });

  test('impact lists the workspace consumer that picks a tag and its verdict', async () => {
    const result = await call(readOnly, 'impact', { reference: `${registry.host}/fleet/app:1.1.0`, paths: ['clusters'] });
    assert.equal(result.isError, undefined, text(result));
    assert.equal(data(result).wouldRefuse, false);
    const [consumer] = data(result).consumers.items;
    assert.deepEqual(
      [consumer.consumer.kind, consumer.consumer.name, consumer.pick, consumer.acceptance],
      ['OCIRepository', 'app', { outcome: 'picks', after: '1.1.0' }, 'accepts'],
    );
  });

  test("an artifact's file is a resource the client can read", async () => {
    const uri = `oci-artifact://file?reference=${encodeURIComponent(`${registry.host}/fleet/app:1.0.0`)}&path=app.yaml`;
    const { contents } = await readOnly.readResource({ uri });
    seen.push(JSON.stringify(contents));
    assert.equal((contents[0] as { text: string }).text, 'kind: ConfigMap\ndata:\n  replicas: "1"\n');
  });

  test('the prepare_promotion prompt walks inspect, diff, validate and a confirmed copy', async () => {
    const { prompts } = await writable.listPrompts();
    assert.ok(prompts.some((p) => p.name === 'prepare_promotion'));
    const prompt = await writable.getPrompt({ name: 'prepare_promotion', arguments: { source: 'a/b:1', destination: 'c/d:prod' } });
    const body = (prompt.messages[0].content as { text: string }).text;
    assert.match(body, /inspect a\/b:1[\s\S]*diff[\s\S]*validate[\s\S]*confirmMoves/);
  });

  test('a promotion that would move a tag is refused until confirmMoves names the digest it points at now', async () => {
    const app = (tag: string) => `${registry.host}/fleet/app:${tag}`;
    const first = await call(writable, 'copy', { source: app('1.0.0'), destination: app('prod') });
    assert.equal(first.isError, undefined, text(first));
    const was = data(first).digest as string;
    const refused = await call(writable, 'copy', { source: app('1.1.0'), destination: app('prod') });
    assert.equal(refused.isError, true);
    assert.match(text(refused), /prod .*already points at another artifact/);
    const stale = await call(writable, 'copy', {
      source: app('1.1.0'),
      destination: app('prod'),
      confirmMoves: [{ tag: 'prod', currentDigest: `sha256:${'0'.repeat(64)}` }],
    });
    assert.equal(stale.isError, true);
    const moved = await call(writable, 'copy', {
      source: app('1.1.0'),
      destination: app('prod'),
      confirmMoves: [{ tag: 'prod', currentDigest: was }],
    });
    assert.equal(moved.isError, undefined, text(moved));
    assert.deepEqual(data(moved).tags, [{ tag: 'prod', action: 'moved', from: was }]);
  });

  test('copy with semver mirrors the selected tags; a drifted tag is left alone until confirmMoves names its digest', async () => {
    const repository = (name: string) => `${registry.host}/fleet/${name}`;
    // The mirror's 1.0.0 already holds another release: drift.
    const planted = await call(writable, 'copy', { source: `${repository('app')}:1.1.0`, destination: `${repository('mirror')}:1.0.0` });
    assert.equal(planted.isError, undefined, text(planted));
    const there = data(planted).digest as string;
    const drifted = await call(writable, 'copy', { source: repository('app'), destination: repository('mirror'), semver: '^1.0' });
    assert.equal(drifted.isError, undefined, text(drifted));
    assert.deepEqual(data(drifted).counts, { copied: 1, moved: 0, skipped: 0, drifted: 1, failed: 0 });
    assert.deepEqual(
      data(drifted)
        .tags.map((t: { tag: string; outcome: string }) => [t.tag, t.outcome])
        .sort(),
      [
        ['1.0.0', 'drifted'],
        ['1.1.0', 'copied'],
      ],
    );
    const moved = await call(writable, 'copy', {
      source: repository('app'),
      destination: repository('mirror'),
      semver: '^1.0',
      confirmMoves: [{ tag: '1.0.0', currentDigest: there }],
    });
    assert.equal(moved.isError, undefined, text(moved));
    assert.deepEqual(data(moved).counts, { copied: 0, moved: 1, skipped: 1, drifted: 0, failed: 0 });
  });

  test('delete_tag deletes nothing unless confirmDigest is the digest the tag points at now', async () => {
    const reference = `${registry.host}/fleet/other:1.0.0`;
    const wrong = await call(writable, 'delete_tag', { reference, confirmDigest: `sha256:${'1'.repeat(64)}` });
    assert.equal(wrong.isError, true);
    assert.match(text(wrong), /points at sha256:[0-9a-f]{64}, not at sha256:1{64}; nothing was deleted/);
    const digest = data(await call(readOnly, 'inspect', { reference })).digest;
    // Distribution deletes manifests only: the tool says so rather than deleting more than the tag.
    const alone = await call(writable, 'delete_tag', { reference, confirmDigest: digest });
    assert.equal(alone.isError, true);
    assert.match(text(alone), /cannot delete the tag 1\.0\.0 alone/);
    const whole = await call(writable, 'delete_tag', { reference, confirmDigest: digest, deleteManifest: true });
    assert.equal(data(whole).manifestDeleted, true);
    assert.equal((await call(readOnly, 'inspect', { reference })).isError, true);
  });

  test('no tool result carries a credential: a file holding the password is redacted', async () => {
    const read = await call(readOnly, 'read_file', { reference: `${registry.host}/fleet/app:leaky`, path: 'notes.txt' });
    assert.match(text(read), /the password is \[credential redacted\]/);
    const basic = Buffer.from(`${registry.admin.username}:${registry.admin.password}`).toString('base64');
    for (const result of seen) {
      assert.ok(!result.includes(registry.admin.password), 'a result holds the password');
      assert.ok(!result.includes(basic), 'a result holds the Basic credential');
    }
    assert.ok(seen.length >= 15);
  });
});
