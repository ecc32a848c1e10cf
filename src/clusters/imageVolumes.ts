import { parseReference } from '../oci';
import type { KubeObject } from './listing';
import type { ClusterSource } from './model';
import { asArray, asObject, asString, condition, namespaceOf, optional, withoutTime } from './sources';

const DIGEST = /@(sha256:[a-f0-9]{64})$/;

/**
 * The image volumes of a Pod (`spec.volumes[].image.reference`, Kubernetes 1.31+), one source each.
 * The reference is as written, so a tag is whatever the Pod asked for. The digest the kubelet
 * pulled is in `status.containerStatuses[].volumeMounts[].volumeStatus.image.imageRef` (init
 * containers too) only where the kubelet reports it: KEP-5365 "ImageVolume with an image digest",
 * gate ImageVolumeWithDigest (Kubernetes 1.35 alpha); an older kubelet reports nothing, and then a
 * reference by tag has no digest.
 */
export function imageVolumeSources(context: string, pod: KubeObject): ClusterSource[] {
  const reported = reportedImageRefs(pod);
  const ready = condition(pod, 'Ready');
  return asArray(pod.spec?.volumes)
    .map(asObject)
    .flatMap((volume) => {
      const name = asString(volume.name);
      const reference = asString(asObject(volume.image).reference);
      if (!name || !reference) return [];
      let parsed;
      try {
        parsed = parseReference(reference, { allowDockerHubShortNames: true });
      } catch {
        return [];
      }
      const digest = parsed.digest ?? DIGEST.exec(reported.get(name) ?? '')?.[1];
      return [
        {
          context,
          kind: 'Pod' as const,
          apiVersion: pod.apiVersion,
          namespace: namespaceOf(pod),
          name: pod.metadata.name,
          url: `oci://${parsed.registry}/${parsed.repository}`,
          registry: parsed.registry,
          repository: parsed.repository,
          ref: reference,
          ...optional('revision', reported.get(name)),
          // The kubelet pulls `latest` when the reference names neither a tag nor a digest.
          ...optional('tag', parsed.tag ?? (parsed.digest ? undefined : 'latest')),
          ...optional('digest', digest),
          ...optional('ready', withoutTime(ready)),
          ...optional('lastReconciled', ready?.at ?? asString(pod.status?.startTime)),
          volume: name,
          workloads: [],
        },
      ];
    });
}

/** Volume name → the image reference with digest the kubelet reports for it, from any container. */
function reportedImageRefs(pod: KubeObject): Map<string, string> {
  const refs = new Map<string, string>();
  for (const status of [...asArray(pod.status?.initContainerStatuses), ...asArray(pod.status?.containerStatuses)].map(asObject))
    for (const mount of asArray(status.volumeMounts).map(asObject)) {
      const imageRef = asString(asObject(asObject(mount.volumeStatus).image).imageRef);
      const name = asString(mount.name);
      if (name && imageRef && !refs.has(name)) refs.set(name, imageRef);
    }
  return refs;
}
