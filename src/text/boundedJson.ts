/**
 * JSON from a registry, parsed only when it nests at most `maxDepth` arrays and objects. JSON.parse
 * itself copes with 100,000 nested arrays, but JSON.stringify, String() and every recursive walk of
 * the result then overflow the stack: a manifest or a kind's metadata never nests more than a handful
 * of levels, so deeper text is refused before it is parsed. The scan is one pass over the text.
 */
/** Configs and metadata that artifact kinds read facts from (a chart's Chart.yaml, a policy's metadata.yml) are shallow. */
export const MAX_FACT_JSON_DEPTH = 16;

export class JsonShapeError extends Error {}

export function parseBoundedJson(text: string, maxDepth: number): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) throw new JsonShapeError(`it nests more than ${maxDepth} levels of lists and objects`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JsonShapeError(`it is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}
