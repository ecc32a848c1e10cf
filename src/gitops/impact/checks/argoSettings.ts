import { nodeAt, pairOf, rangeOf, scalarString } from '../../documents';
import { declaredAt, type WorkspacePicture } from '../workspace';
import type { CheckContext } from './context';

/**
 * The repo-server's layer allowlist when the workspace sets it: the `reposerver.oci.layer.media.types`
 * key of the argocd-cmd-params-cm ConfigMap, comma-separated (argo-cd docs/operator-manual/argocd-cmd-params-cm.yaml).
 */
export function argoLayerTypesOf(workspace: WorkspacePicture): CheckContext['argoLayerTypes'] {
  for (const document of workspace.documents) {
    const root = document.root;
    if (scalarString(root.get('kind', true)) !== 'ConfigMap') continue;
    if (scalarString(nodeAt(root, 'metadata', 'name')) !== 'argocd-cmd-params-cm') continue;
    const pair = pairOf(nodeAt(root, 'data'), 'reposerver.oci.layer.media.types');
    const value = scalarString(pair?.value);
    if (value === undefined) continue;
    const types = value
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    return { types, declaredAt: declaredAt(document, rangeOf(pair?.value)?.[0] ?? 0) };
  }
  return undefined;
}
