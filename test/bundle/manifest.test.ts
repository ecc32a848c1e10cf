// The Marketplace side of package.json: the icon, what the extension declares for Restricted Mode
// and virtual workspaces, and the Get Started walkthrough, checked against the files and commands
// they name. test/editor/restrictedMode.test.ts checks the same in a real VS Code.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS, SIGNING_COMMANDS, VALIDATION_COMMANDS } from '../../src/vscode/activation/commands';

const root = join(__dirname, '..', '..', '..');

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string | Record<string, string>; svg?: string };
  completionEvents?: string[];
  when?: string;
}
interface Manifest {
  icon?: string;
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  contributes: {
    commands: { command: string }[];
    viewsContainers: { activitybar: { id: string }[] };
    views: Record<string, { id: string }[]>;
    configuration: { properties: Record<string, { scope?: string }> };
    walkthroughs?: { id: string; title: string; description: string; steps: Step[] }[];
  };
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const settings = manifest.contributes.configuration.properties;

/** VS Code's own commands a walkthrough step links to (the editor test runs them in a real VS Code). */
const WORKBENCH_COMMANDS = ['workbench.actions.view.problems', 'workbench.trust.manage'];

/** Commands the extension contributes and registers (at activation, or with signing or validation). */
function registeredCommands(): Set<string> {
  const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
  return new Set([...Object.keys(COMMANDS), ...SIGNING_COMMANDS, ...VALIDATION_COMMANDS].filter((id) => contributed.has(id)));
}

/** A command id a link may run: ours, the command that opens our view container, or a named built-in. */
function commandExists(id: string): boolean {
  const containers = manifest.contributes.viewsContainers.activitybar.map((c) => `workbench.view.extension.${c.id}`);
  return registeredCommands().has(id) || containers.includes(id) || WORKBENCH_COMMANDS.includes(id);
}

test('the icon is a 128×128 PNG in the repository', () => {
  const icon = manifest.icon ?? '';
  assert.ok(icon.endsWith('.png'), 'the Marketplace wants a PNG icon');
  const png = readFileSync(join(root, icon));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
});

test('Restricted Mode is supported in a limited way, with a description and the settings it withholds', () => {
  const untrusted = manifest.capabilities?.untrustedWorkspaces;
  assert.equal(untrusted?.supported, 'limited');
  assert.match(untrusted?.description ?? '', /live registry checks/);
  assert.match(untrusted?.description ?? '', /Push Folder/);
  const restricted = untrusted?.restrictedConfigurations ?? [];
  for (const key of ['ociGitops.registries', 'ociGitops.promotionTargets', 'ociGitops.validation.live']) {
    assert.ok(restricted.includes(key), `${key} from a workspace's settings is withheld`);
  }
  for (const key of restricted) {
    assert.ok(settings[key], `${key} is a contributed setting`);
    // Application-scoped settings never take a workspace value; listing one would hide that they are safe anyway.
    assert.notEqual(settings[key].scope, 'application', `${key} is application-scoped already`);
  }
});

test('virtual workspaces are declared, with a description of what is limited', () => {
  const virtual = manifest.capabilities?.virtualWorkspaces;
  assert.ok(virtual !== undefined && typeof virtual === 'object');
  assert.equal(virtual.supported, 'limited');
  assert.match(virtual.description ?? '', /Push Folder/);
});

test('the Get Started walkthrough goes add a registry, browse, validate, push, sign', () => {
  const [walkthrough, ...others] = manifest.contributes.walkthroughs ?? [];
  assert.equal(others.length, 0);
  assert.ok(walkthrough.title && walkthrough.description);
  assert.deepEqual(
    walkthrough.steps.filter((step) => step.when === undefined || !step.when.includes('!isWorkspaceTrusted')).map((step) => step.id),
    ['addRegistry', 'browse', 'validate', 'push', 'sign'],
  );
});

test("every walkthrough step's media is a file in the repository and its links run commands that exist", () => {
  const views = Object.values(manifest.contributes.views)
    .flat()
    .map((view) => view.id);
  for (const step of manifest.contributes.walkthroughs?.[0].steps ?? []) {
    const media = [
      step.media.markdown,
      step.media.svg,
      ...(typeof step.media.image === 'object' ? Object.values(step.media.image) : [step.media.image]),
    ];
    const files = media.filter((file): file is string => typeof file === 'string');
    assert.ok(files.length > 0, `step ${step.id} has media`);
    for (const file of files) assert.ok(existsSync(join(root, file)), `step ${step.id}: ${file} exists`);
    const links = [...step.description.matchAll(/\]\(command:([\w.-]+)/g)].map((m) => m[1]);
    assert.ok(links.length > 0, `step ${step.id} links a command`);
    for (const id of links) assert.ok(commandExists(id), `step ${step.id} links ${id}, which nobody registers`);
    for (const event of step.completionEvents ?? []) {
      const [kind, target] = event.split(':');
      if (kind === 'onCommand') assert.ok(commandExists(target), `step ${step.id} completes on ${target}, which nobody registers`);
      else if (kind === 'onView') assert.ok(views.includes(target), `step ${step.id} completes on view ${target}, which is not declared`);
      else assert.fail(`step ${step.id}: completion event ${event} is not one this test knows`);
    }
  }
});

test('the check of walkthrough links fails for a command nobody registers', () => {
  assert.equal(commandExists('ociGitops.noSuchCommand'), false);
  assert.equal(commandExists('ociGitops.addRegistry'), true);
  assert.equal(commandExists('ociGitops.generateKeyPair'), true);
});
