/** A JSON Schema node, as yaml-language-server reads it. */
export type JsonSchema = Record<string, unknown>;

/**
 * Our schemas are written as indented field lists, one field per line, because a CRD's shape is
 * mostly nesting and a JSON literal of it buries the few words that matter (names, types, docs):
 *
 *     name! type [enum=a|b] [pattern=re] [min=0] -- what the field does
 *
 * `!` marks a field its parent requires. Types: string, boolean, integer, int-or-string, any
 * (free-form, kept as written), map (string to string), flags (string to boolean), object (fields on the lines below, indented
 * two more; unknown fields are errors), open (an object that takes any fields), values (string to
 * anything: free-form named values), string[], object[] (items' fields below), values[], any[], and
 * @name / @name[] for a shared definition.
 */
export function fields(spec: string): JsonSchema {
  const lines = spec
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => ({ indent: line.length - line.trimStart().length, text: line.trim() }));
  const [schema, next] = parseBlock(lines, 0, lines.length > 0 ? lines[0].indent : 0);
  if (next !== lines.length) throw new Error(`fields: bad indentation at "${lines[next].text}"`);
  return schema;
}

function parseBlock(lines: { indent: number; text: string }[], start: number, indent: number): [JsonSchema, number] {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  let i = start;
  while (i < lines.length && lines[i].indent === indent) {
    const [head, description] = splitDescription(lines[i].text);
    const [rawName, type, ...modifiers] = head.split(/\s+/);
    const name = rawName.replace(/!$/, '');
    if (rawName.endsWith('!')) required.push(name);
    i++;
    let children: JsonSchema | undefined;
    if (i < lines.length && lines[i].indent > indent) {
      [children, i] = parseBlock(lines, i, lines[i].indent);
    }
    properties[name] = field(type, modifiers, description, children);
  }
  return [{ type: 'object', additionalProperties: false, properties, ...(required.length > 0 ? { required } : {}) }, i];
}

function splitDescription(text: string): [string, string | undefined] {
  const at = text.indexOf(' -- ');
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 4).trim()];
}

function field(type: string, modifiers: string[], description: string | undefined, children: JsonSchema | undefined): JsonSchema {
  const out: JsonSchema = {};
  if (type.startsWith('@')) {
    const ref = { $ref: `#/definitions/${type.slice(1).replace(/\[\]$/, '')}` };
    Object.assign(out, type.endsWith('[]') ? { type: 'array', items: ref } : ref);
  } else {
    switch (type) {
      case 'string':
      case 'boolean':
      case 'integer':
        out.type = type;
        break;
      case 'int-or-string':
        out.anyOf = [{ type: 'integer' }, { type: 'string' }];
        break;
      case 'any':
        break;
      case 'map':
        Object.assign(out, { type: 'object', additionalProperties: { type: 'string' } });
        break;
      case 'flags':
        Object.assign(out, { type: 'object', additionalProperties: { type: 'boolean' } });
        break;
      case 'values':
        Object.assign(out, { type: 'object', additionalProperties: {} });
        break;
      case 'any[]':
        Object.assign(out, { type: 'array', items: {} });
        break;
      case 'values[]':
        Object.assign(out, { type: 'array', items: { type: 'object', additionalProperties: {} } });
        break;
      case 'open':
        out.type = 'object';
        break;
      case 'string[]':
        Object.assign(out, { type: 'array', items: { type: 'string' } });
        break;
      case 'object':
        Object.assign(out, children ?? { type: 'object', additionalProperties: false, properties: {} });
        break;
      case 'object[]':
        Object.assign(out, { type: 'array', items: children ?? { type: 'object' } });
        break;
      default:
        throw new Error(`fields: unknown type "${type}"`);
    }
  }
  const target = (out.items as JsonSchema | undefined) && type === 'string[]' ? (out.items as JsonSchema) : out;
  for (const modifier of modifiers) {
    const eq = modifier.indexOf('=');
    const key = modifier.slice(0, eq);
    const value = modifier.slice(eq + 1);
    if (key === 'enum') target.enum = value.split('|');
    else if (key === 'pattern') target.pattern = value;
    else if (key === 'min') target[target.type === 'string' ? 'minLength' : 'minimum'] = Number(value);
    else if (key === 'max') target[target.type === 'string' ? 'maxLength' : 'maximum'] = Number(value);
    else throw new Error(`fields: unknown modifier "${modifier}"`);
  }
  if (description) {
    out.description = description;
    out.markdownDescription = description;
  }
  return out;
}

/** The standard parts of a Kubernetes object around a kind's spec. */
export function kubernetesObject(
  apiVersion: string,
  kind: string,
  spec: JsonSchema,
  options: { definitions?: Record<string, JsonSchema>; required?: string[]; description: string; deprecated?: string },
): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    description: options.description,
    required: ['apiVersion', 'kind', ...(options.required ?? [])],
    properties: {
      apiVersion: {
        type: 'string',
        enum: [apiVersion],
        description: 'The API group and version of this kind.',
        ...(options.deprecated ? { deprecationMessage: options.deprecated } : {}),
      },
      kind: { type: 'string', enum: [kind] },
      metadata: {
        type: 'object',
        description: "The object's name, namespace, labels and annotations.",
        properties: {
          name: { type: 'string', description: 'Name of the object, unique per namespace and kind.' },
          namespace: { type: 'string', description: 'Namespace of the object; "default" when left out.' },
          labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Key/value labels for selecting the object.' },
          annotations: {
            type: 'object',
            additionalProperties: { type: 'string' },
            description: 'Key/value annotations; free-form notes for tools.',
          },
        },
      },
      spec: { ...spec, description: 'What you want the controller to do.' },
      status: { type: 'object', description: 'Written by the controller to report what it did; leave it out of manifests.' },
    },
    ...(options.definitions ? { definitions: options.definitions } : {}),
  };
}
