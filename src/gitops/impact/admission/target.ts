/** The workload an image is admitted for: what a policy's match block and image extraction look at. */
export interface AdmissionTarget {
  /** The consumer's kind as written: Pod, Deployment, StatefulSet, … */
  kind: string;
  /** Its namespace; undefined when the manifest does not say (match blocks on namespaces are then assumed to select it). */
  namespace?: string;
  /** Where the image is referenced: an image volume (`spec.volumes[].image.reference`, the default) or a container's `image`. */
  field?: 'image-volume' | 'container';
}

/** Kinds whose Pods are admitted as Pods: a rule for Pods meets their images too. */
export const POD_CONTROLLERS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
]);
