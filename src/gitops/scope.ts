import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { chartOfTemplate, holdsTemplateActions } from './helmTemplate';
import { splitDocuments } from './documentChunks';
import { isOurKind } from './kinds';
import { FLOW_STYLE_LINE, mayHoldOurKinds, sniffKind } from './kindSniff';

/** Why a YAML file gets no diagnostics from us. */
export type SkipReason =
  /** Under a chart's templates/ folder: Helm renders it before it is YAML. */
  | 'chart-template'
  /** Holds `{{ … }}` template actions in its structure. */
  | 'template-actions'
  /** Names none of the API groups whose kinds we validate. */
  | 'not-ours';

/**
 * Whether a file is left alone, and why. `path` is left out for a text with no file behind it;
 * `exists` looks for the Chart.yaml beside a templates/ folder (on disk unless told otherwise). A
 * Helm template is reported as such even when it holds none of our kinds, so `validate` can say
 * how many it skipped. Callers ask through workspacePicture.ts, once per text.
 */
export function skipReason(text: string, path?: string, exists: (path: string) => boolean = existsSync): SkipReason | undefined {
  if (path !== undefined && chartOfTemplate(path, exists) !== undefined) return 'chart-template';
  if (holdsTemplateActions(text)) return 'template-actions';
  if (!holdsOurKinds(text)) return 'not-ours';
  return undefined;
}

/**
 * Whether some document of the text is of a kind we validate, by its top-level `apiVersion:` and
 * `kind:` lines (an Argo Rollout or a kustomize Kustomization is not). A document written in flow
 * style (`{apiVersion: …}`) counts when it names one of our API groups.
 */
export function holdsOurKinds(text: string): boolean {
  if (!mayHoldOurKinds(text) && !(FLOW_STYLE_LINE.test(text) && mayHoldOurKinds(asBlockLines(text)))) return false;
  return splitDocuments(text).some(({ text: document }) => {
    const { apiVersion, kind } = sniffKind(document);
    return apiVersion !== undefined
      ? isOurKind(apiVersion, kind, document)
      : FLOW_STYLE_LINE.test(document) && mayHoldOurKinds(asBlockLines(document));
  });
}

/**
 * A flow-style text with each `{`/`,` turned into a line break and an indent, so the line-based
 * sniffing reads `{apiVersion: "v1", …}` and a nested `image: {\n  reference: …}` (Kubernetes'
 * own image-volume example) as it reads block style.
 */
function asBlockLines(text: string): string {
  return text.replace(/[{,]\s*/g, '\n ');
}

/**
 * Whether a file too large to validate may hold our kinds, read line by line rather than loaded
 * whole: a file that may is an error for `validate` (it would slip past a push gate unchecked),
 * one that cannot is simply not ours.
 */
export async function largeFileMayHoldOurKinds(path: string): Promise<boolean> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) if (mayHoldOurKinds(line)) return true;
    return false;
  } finally {
    lines.close();
    input.destroy();
  }
}
