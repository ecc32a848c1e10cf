import { parseRegistryHost, type Reference } from '../../oci';
import { DOCKER_HUB_HOST } from '../../oci';
import { isPartialDocument } from '../kustomize/partialObjects';
import type { LiveTarget } from '../contract/liveTarget';
import { liveTargetsOf } from '../kindQueries';
import type { Consumer, Selector } from './contract';
import { declaredAt, type WorkspaceDocument, type WorkspacePicture } from './workspace';

/** A consumer with what its checks need: the live target its kind made and the document it came from. */
export interface FoundConsumer {
  consumer: Consumer;
  target: LiveTarget;
  document: WorkspaceDocument;
}

/**
 * Every object of the workspace that pulls from the repository: the live targets the kinds find
 * (OCIRepository, HelmRelease charts from an OCI HelmRepository, FluxInstance sync, Argo CD
 * Application and ApplicationSet sources, image volumes of Pods and workloads), compared by
 * canonical host and repository (`docker.io/nginx` is `registry-1.docker.io/library/nginx`).
 * A reference that holds a postBuild variable is known only in the cluster: named in `skipped`.
 */
export function consumersOf(
  workspace: WorkspacePicture,
  repository: Pick<Reference, 'registry' | 'repository'>,
): { consumers: FoundConsumer[]; skipped: Array<{ file: string; reason: string }> } {
  const wanted = canonicalRepository(repository.registry, repository.repository);
  const consumers: FoundConsumer[] = [];
  const skipped: Array<{ file: string; reason: string }> = [];
  for (const document of workspace.documents) {
    if (isPartialDocument(document.doc, document.role)) continue;
    for (const target of liveTargetsOf(document.doc, true, workspace.sources)) {
      const where = declaredAt(document, target.urlRange[0]);
      if (`${target.host}/${target.repository}`.includes('${')) {
        if (document.appliedBy?.substitutes !== false)
          skipped.push({
            file: where.file,
            reason: `line ${where.line}: ${target.kind} ${target.object} names its repository with a postBuild variable, known only in the cluster`,
          });
        continue;
      }
      if (canonicalRepository(target.host, target.repository) !== wanted) continue;
      consumers.push({ consumer: consumerOf(target, document), target, document });
    }
  }
  return { consumers, skipped };
}

function consumerOf(target: LiveTarget, document: WorkspaceDocument): Consumer {
  const [namespace, name] = splitObject(target.object);
  return {
    kind: target.kind,
    name,
    ...(namespace ? { namespace } : {}),
    declaredAt: declaredAt(document, target.range[0]),
    registry: target.host,
    repository: target.repository,
    selector: selectorOf(target),
  };
}

function selectorOf(target: LiveTarget): Selector {
  const s = target.selector;
  if (s.type === 'digest') return { type: 'digest', digest: s.value };
  if (s.type === 'semver') return { type: 'semver', range: s.value, ...(s.filter ? { filter: s.filter } : {}) };
  return s.value === 'latest' ? { type: 'latest' } : { type: 'tag', tag: s.value };
}

function splitObject(object: string): [string | undefined, string] {
  const slash = object.indexOf('/');
  return slash < 0 ? [undefined, object] : [object.slice(0, slash), object.slice(slash + 1)];
}

/** `host/repository` as the client talks to it: Docker Hub's aliases and its implicit `library/`. */
export function canonicalRepository(host: string, repository: string): string {
  let canonical: string;
  try {
    canonical = parseRegistryHost(host);
  } catch {
    canonical = host.toLowerCase();
  }
  const path = canonical === DOCKER_HUB_HOST && !repository.includes('/') ? `library/${repository}` : repository;
  return `${canonical}/${path}`;
}
