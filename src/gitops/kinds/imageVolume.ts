import { isMap, isSeq, type YAMLMap } from 'yaml';
import { DOCKER_HUB_HOST } from '../../oci/reference/host';
import { parseReference, type Reference } from '../../oci/reference/reference';
import { nodeAt, pairOf, rangeOf, scalarString } from '../documents';
import { objectName, type LiveTarget } from '../contract/liveTarget';
import type { RuleContext } from '../contract/ruleContext';
import type { GitOpsKind } from '../contract/kind';
import { errorMessage } from '../../text/format';

const DOCS = 'https://kubernetes.io/docs/concepts/storage/volumes/#image';
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
/** A Flux Kustomization's postBuild variable, `${name}` (or `${name:=default}`). */
const SUBSTITUTED = /\$\{[^}]*\}/;

/** Where each kind keeps the Pod spec whose `volumes` we read, and the one apiVersion it is served at. */
const WORKLOADS: Record<string, { apiVersion: string; podSpec: string[] }> = {
  Pod: { apiVersion: 'v1', podSpec: ['spec'] },
  // A PodTemplate holds its template at the top level, not under spec.
  PodTemplate: { apiVersion: 'v1', podSpec: ['template', 'spec'] },
  ReplicationController: { apiVersion: 'v1', podSpec: ['spec', 'template', 'spec'] },
  Deployment: { apiVersion: 'apps/v1', podSpec: ['spec', 'template', 'spec'] },
  StatefulSet: { apiVersion: 'apps/v1', podSpec: ['spec', 'template', 'spec'] },
  DaemonSet: { apiVersion: 'apps/v1', podSpec: ['spec', 'template', 'spec'] },
  ReplicaSet: { apiVersion: 'apps/v1', podSpec: ['spec', 'template', 'spec'] },
  Job: { apiVersion: 'batch/v1', podSpec: ['spec', 'template', 'spec'] },
  CronJob: { apiVersion: 'batch/v1', podSpec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
};

/** One `volumes[]` entry with an `image` source, and the path to that source from the document's root. */
interface ImageVolume {
  name: string;
  path: (string | number)[];
  image: YAMLMap;
  volume: YAMLMap;
}

/**
 * Kubernetes image volumes (KEP-4639: `volumes[].image` mounts an OCI image or artifact read-only,
 * alpha in 1.31, beta from 1.33): in a Pod, and in the Pod template of PodTemplates,
 * ReplicationControllers, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs.
 * We check the image volumes and nothing else of these kinds, so a document without one is not
 * ours: no schema, no rules, not even its syntax.
 */
export const imageVolume: GitOpsKind = {
  groupKinds: Object.entries(WORKLOADS).map(([kind, { apiVersion }]) => ({ group: groupOf(apiVersion), kind })),
  matches: (apiVersion, kind) => Object.hasOwn(WORKLOADS, kind) && WORKLOADS[kind].apiVersion === apiVersion,
  // Kubernetes validates these kinds itself; a schema of ours would judge the whole workload.
  schemas: [],
  holdsOurPart: (root) => imageVolumesOf(root).length > 0,
  check: checkImageVolumes,
  liveTargets: (root) => imageVolumesOf(root).flatMap((v) => liveTarget(root, v) ?? []),
};

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

function imageVolumesOf(root: YAMLMap): ImageVolume[] {
  const workload = WORKLOADS[scalarString(root.get('kind', true)) ?? ''];
  if (!workload) return [];
  const volumesPath = [...workload.podSpec, 'volumes'];
  const volumes = nodeAt(root, ...volumesPath);
  if (!isSeq(volumes)) return [];
  // Only a map: `image: <string>` is what a container has, and the text check cannot tell them apart.
  return volumes.items.flatMap((volume, index) => {
    const image: unknown = isMap(volume) ? volume.get('image', true) : undefined;
    return isMap(volume) && isMap(image)
      ? [{ name: scalarString(volume.get('name', true)) ?? `#${index}`, path: [...volumesPath, index, 'image'], image, volume }]
      : [];
  });
}

/** What a reference names, the way the kubelet reads a container image: no scheme, Docker Hub when it names no host. */
type ParsedReference = { ok: true; ref: Reference; implicitHost: boolean } | { ok: false; why: string; scheme?: string };

function parseImageReference(reference: string): ParsedReference {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(reference);
  if (scheme) return { ok: false, why: `an image reference has no scheme (${scheme[1]}://)`, scheme: scheme[0] };
  try {
    const ref = parseReference(reference);
    const first = reference.split('/')[0];
    // parseReference's rule for a registry host, the one Docker and the kubelet apply.
    const implicitHost =
      ref.registry === DOCKER_HUB_HOST &&
      (!reference.includes('/') || !(first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[')));
    return { ok: true, ref, implicitHost };
  } catch (error) {
    return { ok: false, why: errorMessage(error).replace(/^Invalid reference "[^"]*": /, '') };
  }
}

/** The pull policy the API server gives an image volume without one: Always for `latest` or no tag, else IfNotPresent. */
function defaultPullPolicy(ref: Reference): string {
  return ref.digest === undefined && (ref.tag ?? 'latest') === 'latest' ? 'Always' : 'IfNotPresent';
}

function checkImageVolumes(ctx: RuleContext): void {
  const isPod = ctx.string('kind') === 'Pod';
  for (const { name, path, image, volume } of imageVolumesOf(ctx.root as YAMLMap)) {
    const imageKey = rangeOf(pairOf(volume, 'image')?.key) ?? ctx.valueRange(...path);
    const reference = ctx.string(...path, 'reference');
    if (reference === undefined || reference === '') {
      // The API server requires it in a Pod; in a template it lets a tool or webhook fill it in.
      ctx.reportWhole(
        'IMGVOL001',
        isPod ? 'error' : 'warning',
        isPod
          ? `Volume "${name}": image.reference is required: the image or artifact to mount, e.g. ghcr.io/org/config:1.0.0`
          : `Volume "${name}": image.reference is empty: the API server accepts the template, but rejects every Pod made from it unless a tool or admission webhook fills it in. Set the image or artifact to mount, e.g. ghcr.io/org/config:1.0.0`,
        reference === undefined ? imageKey : ctx.valueRange(...path, 'reference'),
        DOCS,
      );
    }
    const pullPolicy = ctx.string(...path, 'pullPolicy');
    if (pullPolicy !== undefined && !PULL_POLICIES.includes(pullPolicy)) {
      const range = ctx.valueRange(...path, 'pullPolicy');
      const meant = PULL_POLICIES.find((p) => p.toLowerCase() === pullPolicy.toLowerCase());
      ctx.report(
        'IMGVOL003',
        'error',
        `Volume "${name}": image.pullPolicy "${pullPolicy}" must be one of ${PULL_POLICIES.join(', ')} (case matters)`,
        range,
        DOCS,
        meant ? { title: `Change to ${meant}`, edits: [{ start: range[0], end: range[1], text: meant }] } : undefined,
      );
    }
    // Flux postBuild substitutes ${VAR} after the build: what the kubelet gets is not written here.
    if (!reference || SUBSTITUTED.test(reference)) continue;
    const referenceRange = ctx.valueRange(...path, 'reference');
    const parsed = parseImageReference(reference);
    if (!parsed.ok) {
      const fixed = parsed.scheme ? reference.slice(parsed.scheme.length) : undefined;
      ctx.report(
        'IMGVOL002',
        'error',
        `Volume "${name}": image.reference "${reference}" is not an image reference: ${parsed.why}. Write it as a container image is written, host/repository:tag or host/repository@sha256:<digest>, e.g. ${fixed && parseImageReference(fixed).ok ? fixed : 'ghcr.io/org/config:1.0.0'}`,
        referenceRange,
        DOCS,
        fixed && parseImageReference(fixed).ok
          ? { title: `Remove ${parsed.scheme}`, edits: [{ start: referenceRange[0], end: referenceRange[1], text: fixed }] }
          : undefined,
      );
      continue;
    }
    const { ref, implicitHost } = parsed;
    if (implicitHost) {
      ctx.report(
        'IMGVOL005',
        'info',
        `Volume "${name}": image.reference "${reference}" names no registry host, so like a container image it is pulled from Docker Hub (docker.io/${ref.repository}); the live checks ask Docker Hub too. Write the registry host if the artifact is elsewhere, e.g. ghcr.io/${ref.repository.replace(/^library\//, '')}`,
        referenceRange,
        DOCS,
      );
    }
    const effective = pullPolicy ?? defaultPullPolicy(ref);
    if (ref.digest === undefined && (effective === 'IfNotPresent' || effective === 'Never')) {
      const tag = ref.tag ?? 'latest';
      const why =
        effective === 'Never'
          ? 'pullPolicy Never: the kubelet never pulls it and mounts whatever copy of the tag the node already holds (the Pod fails where it holds none)'
          : `pullPolicy IfNotPresent${pullPolicy === undefined ? ' (the default for a tag other than latest)' : ''}: a node that already holds the tag keeps mounting its copy`;
      ctx.report(
        'IMGVOL004',
        'warning',
        `Volume "${name}": the tag "${tag}" can be moved to another artifact, but with ${why}, so Pods on different nodes can mount different content and a push to the tag does not reach them. Pin the reference to a digest (the live check's "Pin to digest" does it) or set pullPolicy: Always`,
        pullPolicy !== undefined ? ctx.valueRange(...path, 'pullPolicy') : referenceRange,
        DOCS,
        alwaysFix(ctx, image, pullPolicy !== undefined ? ctx.valueRange(...path, 'pullPolicy') : undefined),
      );
    }
  }
}

/** Sets pullPolicy to Always: replaces the value there is, or adds the field after reference in a block map. */
function alwaysFix(
  ctx: RuleContext,
  image: YAMLMap,
  policyRange: [number, number] | undefined,
): { title: string; edits: { start: number; end: number; text: string }[] } | undefined {
  const title = 'Set pullPolicy: Always';
  if (policyRange) return { title, edits: [{ start: policyRange[0], end: policyRange[1], text: 'Always' }] };
  const pair = pairOf(image, 'reference');
  const key = rangeOf(pair?.key);
  const value = rangeOf(pair?.value);
  if (image.flow || !key || !value) return undefined;
  return { title, edits: [{ start: value[1], end: value[1], text: `\n${' '.repeat(ctx.column(key[0]))}pullPolicy: Always` }] };
}

/** The registry reference the kubelet pulls for one image volume; the digest wins over a tag, as in a container image. */
function liveTarget(root: YAMLMap, { image }: ImageVolume): LiveTarget | undefined {
  const pair = pairOf(image, 'reference');
  const reference = scalarString(pair?.value);
  const valueRange = rangeOf(pair?.value);
  const keyRange = rangeOf(pair?.key);
  if (!reference || SUBSTITUTED.test(reference) || !valueRange || !keyRange) return undefined;
  const parsed = parseImageReference(reference);
  if (!parsed.ok) return undefined;
  const { ref } = parsed;
  const tag = ref.tag ?? 'latest';
  // The name as written, so a short Docker Hub name stays short once pinned.
  const name = ref.tag !== undefined ? reference.slice(0, reference.length - ref.tag.length - 1) : reference;
  return {
    kind: scalarString(root.get('kind', true)) ?? 'Pod',
    object: objectName(root),
    controller: 'kubelet',
    docs: DOCS,
    host: ref.registry,
    repository: ref.repository,
    selector: ref.digest !== undefined ? { type: 'digest', value: ref.digest } : { type: 'tag', value: tag },
    range: valueRange,
    urlRange: valueRange,
    // A comment cannot follow the value inside a flow map ({reference: …}), so those are not pinned.
    ...(ref.digest === undefined && !image.flow
      ? {
          pin: {
            start: keyRange[0],
            end: valueRange[1],
            key: 'reference',
            value: reference,
            digestKey: 'reference',
            digestPrefix: `${name}@`,
          },
        }
      : {}),
  };
}
