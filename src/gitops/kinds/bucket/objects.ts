import type { RuleContext } from '../../contract/ruleContext';
import type { Provider } from './providers';
import { DOCS } from './schema';

/**
 * A bucket name holds no "/" on any provider; for generic and aws, the MinIO client also checks
 * the name before it asks the server (minio-go s3utils.CheckValidBucketName).
 */
export function checkBucketName(ctx: RuleContext, provider: Provider | undefined): void {
  const name = ctx.string('spec', 'bucketName');
  if (name === undefined) return;
  const range = ctx.valueRange('spec', 'bucketName');
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const folder = name.slice(slash + 1);
    ctx.report(
      'BUCKET004',
      'error',
      `spec.bucketName "${name}" holds a path: the bucket is "${name.slice(0, slash)}"${folder ? `; put "${folder}" in spec.prefix to fetch only the objects under it` : ''}`,
      range,
      DOCS,
    );
    return;
  }
  if (provider !== 'generic' && provider !== 'aws') return;
  const problem =
    name.length < 3
      ? 'is shorter than 3 characters'
      : name.length > 63
        ? 'is longer than 63 characters'
        : /^(\d+\.){3}\d+$/.test(name)
          ? 'is an IP address'
          : /\.\.|\.-|-\./.test(name) || !/^[A-Za-z0-9][A-Za-z0-9.\-_:]{1,61}[A-Za-z0-9]$/.test(name)
            ? 'has characters a bucket name cannot have (letters, digits, ".", "-", "_" and ":", starting and ending with a letter or digit)'
            : undefined;
  if (problem)
    ctx.report(
      'BUCKET004',
      'error',
      `spec.bucketName "${name}" ${problem}: source-controller's MinIO client refuses it before asking the server`,
      range,
      DOCS,
    );
}

/**
 * `spec.ignore`, read as source-controller reads it (fluxcd/pkg sourceignore: ReadPatterns and
 * gitignore.ParsePattern, from go-git): a line starting with "#" is a comment, and every other
 * non-blank line is a pattern whose "/"-separated parts are matched with Go's filepath.Match. A
 * pattern that cannot match anything is almost surely not what was meant: the objects it was
 * written to leave out are fetched.
 */
export function checkIgnore(ctx: RuleContext): void {
  const ignore = ctx.string('spec', 'ignore');
  if (ignore === undefined) return;
  const whole = ctx.valueRange('spec', 'ignore');
  const lines = ctx.blockLines('spec', 'ignore');
  ignore.split('\n').forEach((line, index) => {
    const problem = ignoreLineProblem(line);
    if (!problem) return;
    ctx.report('BUCKET007', 'warning', `spec.ignore line ${index + 1} "${line}" ${problem}`, lines?.[index] ?? whole, DOCS);
  });
}

function ignoreLineProblem(line: string): string | undefined {
  if (line.startsWith('#') || line.trim() === '') return undefined;
  if (/^\s/.test(line))
    return line.trim().startsWith('#')
      ? 'is not a comment: only a "#" at the very start of a line begins one, so this is a pattern for names that begin with spaces'
      : 'begins with whitespace, which is part of the pattern: it only matches names that begin with it';
  let pattern = line.startsWith('!') ? line.slice(1) : line;
  if (!pattern.endsWith('\\ ')) pattern = pattern.replace(/ +$/, '');
  if (pattern.endsWith('/')) pattern = pattern.slice(0, -1);
  if (pattern === '') return 'matches nothing: it has no name to match';
  const parts = pattern.split('/');
  for (const part of parts) {
    const syntax = globSyntaxProblem(part);
    if (syntax) return `never matches: "${part}" ${syntax}, so Go's filepath.Match refuses it`;
    if (parts.length > 1 && part !== '**' && part.includes('**'))
      return `never matches: in a pattern with a "/", source-controller only takes "**" as a whole part ("deploy/**/*.md"), and "${part}" matches nothing (git would read it as "*")`;
  }
  return undefined;
}

/** Why Go's filepath.Match rejects a pattern (ErrBadPattern), on Linux where "\" escapes. */
function globSyntaxProblem(pattern: string): string | undefined {
  const escaped = (at: number): number | string => {
    if (at >= pattern.length || pattern[at] === '-' || pattern[at] === ']')
      return 'has a "[…]" class that is empty, not closed, or has a range without an end';
    if (pattern[at] === '\\') at++;
    if (at >= pattern.length) return 'ends with an unescaped "\\"';
    const next = at + ((pattern.codePointAt(at) ?? 0) > 0xffff ? 2 : 1);
    return next >= pattern.length ? 'has a "[" class that is not closed' : next;
  };
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) return 'ends with an unescaped "\\"';
      i += 2;
    } else if (c === '[') {
      i++;
      if (pattern[i] === '^') i++;
      for (let ranges = 0; ; ranges++) {
        if (pattern[i] === ']' && ranges > 0) {
          i++;
          break;
        }
        const low = escaped(i);
        if (typeof low === 'string') return low;
        i = low;
        if (pattern[i] === '-') {
          const high = escaped(i + 1);
          if (typeof high === 'string') return high;
          i = high;
        }
      }
    } else i++;
  }
  return undefined;
}
