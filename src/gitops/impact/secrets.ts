import { readFileSync } from 'node:fs';
import { basename, dirname, resolve, sep } from 'node:path';
import { isMap, isSeq, type YAMLMap } from 'yaml';
import { nodeAt, parseManifests, rangeOf, scalarString } from '../documents';
import { isKustomizationFile } from '../kustomize/kustomizeIndex';
import type { DeclaredAt } from './contract';
import { declaredAt, type WorkspacePicture } from './workspace';

/** A Secret's files as the controller reads them, or why the workspace cannot tell. */
export type SecretLookup =
  { found: true; files: Map<string, Buffer>; declaredAt: DeclaredAt } | { found: false; reason: string; declaredAt?: DeclaredAt };

interface SecretSource {
  name: string;
  namespace?: string;
  declaredAt: DeclaredAt;
  read(): SecretLookup;
}

/** Values SOPS left encrypted: the key is there, its content is not readable here. */
const SOPS_VALUE = /^ENC\[[A-Z0-9_]+,/;

/**
 * The Secrets the workspace declares, as a `spec.verify.secretRef` or `trustedRootSecretRef` names
 * them: Secret manifests (`data` base64, `stringData` as written) and kustomize `secretGenerator`
 * entries (`files:` read beside the kustomization, `literals:`). A SOPS-encrypted Secret, or a
 * generator file that is not there, is "out of reach" rather than missing.
 */
export class WorkspaceSecrets {
  private readonly sources: SecretSource[] = [];

  constructor(workspace: WorkspacePicture) {
    for (const document of workspace.documents) {
      const root = document.root;
      if (scalarString(root.get('kind', true)) !== 'Secret' || scalarString(root.get('apiVersion', true)) !== 'v1') continue;
      const name = scalarString(nodeAt(root, 'metadata', 'name'));
      if (!name) continue;
      const at = declaredAt(document, rangeOf(nodeAt(root, 'metadata', 'name'))?.[0] ?? 0);
      const namespace = scalarString(nodeAt(root, 'metadata', 'namespace'));
      this.sources.push({ name, ...(namespace ? { namespace } : {}), declaredAt: at, read: () => secretManifestFiles(root, at) });
    }
    for (const [path, text] of workspace.texts) if (isKustomizationFile(path)) this.addGenerators(path, text, workspace.texts);
  }

  /** The Secret `name` in `namespace`; one without a namespace of its own matches any. */
  lookup(name: string, namespace: string | undefined): SecretLookup {
    const named = this.sources.filter((s) => s.name === name);
    const match = named.find((s) => s.namespace === namespace) ?? named.find((s) => s.namespace === undefined);
    if (!match && named.length > 0)
      return {
        found: false,
        reason: `the Secret ${name} is declared in namespace ${named.map((s) => s.namespace).join(', ')}, not ${namespace ?? 'default'}: Flux reads it from the object's own namespace`,
        declaredAt: named[0].declaredAt,
      };
    if (!match)
      return {
        found: false,
        reason: `the Secret ${namespace ? `${namespace}/` : ''}${name} is not in the workspace (created in the cluster or by another tool)`,
      };
    return match.read();
  }

  private addGenerators(path: string, text: string, texts: ReadonlyMap<string, string>): void {
    const parsed = parseManifests(text).documents[0]?.doc;
    const root = parsed?.contents;
    if (!parsed || !isMap(root)) return;
    const generators = root.get('secretGenerator', true);
    if (!isSeq(generators)) return;
    const folderNamespace = scalarString(root.get('namespace', true));
    for (const generator of generators.items) {
      if (!isMap(generator)) continue;
      const name = scalarString(generator.get('name', true));
      if (!name) continue;
      const namespace = scalarString(generator.get('namespace', true)) ?? folderNamespace;
      const at = declaredAt({ file: path, text }, rangeOf(generator.get('name', true))?.[0] ?? 0);
      this.sources.push({
        name,
        ...(namespace ? { namespace } : {}),
        declaredAt: at,
        read: () => generatedFiles(generator, dirname(resolve(path)), at, texts),
      });
    }
  }
}

function secretManifestFiles(root: YAMLMap, at: DeclaredAt): SecretLookup {
  if (root.has('sops'))
    return { found: false, reason: 'the Secret is SOPS-encrypted: its keys are decrypted only in the cluster', declaredAt: at };
  const files = new Map<string, Buffer>();
  const data = root.get('data', true);
  if (isMap(data))
    for (const pair of data.items) {
      const key = scalarString(pair.key);
      const value = scalarString(pair.value);
      if (key && value !== undefined) files.set(key, Buffer.from(value.replace(/\s+/g, ''), 'base64'));
    }
  const stringData = root.get('stringData', true);
  if (isMap(stringData))
    for (const pair of stringData.items) {
      const key = scalarString(pair.key);
      const value = scalarString(pair.value);
      if (key && value !== undefined) files.set(key, Buffer.from(value, 'utf8'));
    }
  const encrypted = [...files].find(([, value]) => SOPS_VALUE.test(value.toString('utf8')));
  if (encrypted)
    return { found: false, reason: `the Secret's ${encrypted[0]} is encrypted (ENC[…]): decrypted only in the cluster`, declaredAt: at };
  return { found: true, files, declaredAt: at };
}

/** kustomize's secretGenerator: `files:` entries are `path` or `key=path` beside the kustomization, `literals:` are `key=value`. */
function generatedFiles(generator: YAMLMap, folder: string, at: DeclaredAt, texts: ReadonlyMap<string, string>): SecretLookup {
  const files = new Map<string, Buffer>();
  const listed = generator.get('files', true);
  for (const item of isSeq(listed) ? listed.items : []) {
    const entry = scalarString(item);
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const key = eq >= 0 ? entry.slice(0, eq) : basename(entry);
    const path = resolve(folder, eq >= 0 ? entry.slice(eq + 1) : entry);
    if (!path.startsWith(folder + sep))
      return { found: false, reason: `the secretGenerator file ${entry} is outside the kustomization's folder`, declaredAt: at };
    const content = texts.get(path) ?? readOrUndefined(path);
    if (content === undefined) return { found: false, reason: `the secretGenerator file ${entry} is not in the workspace`, declaredAt: at };
    if (/^sops:/m.test(content.toString('utf8')) || SOPS_VALUE.test(content.toString('utf8')))
      return { found: false, reason: `the secretGenerator file ${entry} is SOPS-encrypted: decrypted only in the cluster`, declaredAt: at };
    files.set(key, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  }
  const literals = generator.get('literals', true);
  for (const item of isSeq(literals) ? literals.items : []) {
    const entry = scalarString(item);
    const eq = entry?.indexOf('=') ?? -1;
    if (entry && eq > 0) files.set(entry.slice(0, eq), Buffer.from(entry.slice(eq + 1), 'utf8'));
  }
  return { found: true, files, declaredAt: at };
}

function readOrUndefined(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}
