import { OciError } from '../oci/errors';

/**
 * One rule for the names an artifact may give its files, the same on every platform, so a folder
 * pulled, previewed or diffed on Linux is the folder a reviewer on macOS or Windows sees, and a
 * refusal never depends on where the command runs.
 *
 * Modelled on Go's module zips, which solve the same problem for source archives:
 * golang.org/x/mod `module.CheckFilePath` (module/module.go: `checkElem`, `fileNameOK`,
 * `badWindowsNames`) and `zip.CheckFiles` (zip/zip.go: `collisionChecker`, which folds every path
 * and every parent folder and refuses two that fold alike). Where this rule differs from Go's:
 * - Characters: Go allows Unicode letters and a few ASCII punctuation marks. Manifests and charts
 *   use more (`'`, `;`, symbols), which every desktop file system stores, so this rule allows
 *   every printable character and refuses only what some system cannot hold: control, format and
 *   invisible characters (U+0000–U+001F, U+007F, bidi overrides, zero-width joiners, line
 *   separators, unassigned code points), and the characters Windows forbids, `: * ? " < > | \`.
 * - Windows device names are those of Microsoft's "Naming Files, Paths, and Namespaces": Go's list
 *   plus COM0/LPT0, the superscript COM¹²³/LPT¹²³ and CONIN$/CONOUT$. As in Go, the name before the
 *   first dot counts (`CON.yaml`, `aux.tar.gz`), in any folder (`x/aux`); Windows also drops spaces
 *   before that dot (`CON .yaml`).
 * - Collisions fold case (as NTFS and APFS compare names) and Unicode normalisation (as APFS and
 *   HFS+ do): `App.yaml`/`app.yaml`, composed/decomposed `é`, and `App/x`/`app/y`, whose folders merge.
 * - Lengths: 255 bytes of UTF-8 per name (ext4's limit, and within NTFS's 255 UTF-16 units and
 *   APFS's 255 characters) and 1024 bytes per path (macOS's PATH_MAX, the smallest of the three
 *   for the long-path-aware APIs Node uses on Windows).
 */

/** Why one path is not portable, for a refusal that names it. */
export interface NameProblem {
  path: string;
  reason: string;
}

const MAX_NAME_BYTES = 255;
const MAX_PATH_BYTES = 1024;

const WINDOWS_FORBIDDEN = /[:*?"<>|\\]/u;
/** Control, format, unassigned, private-use and surrogate code points, and every space but U+0020. */
const UNPRINTABLE = /(?! )[\p{C}\p{Z}]/u;

const DEVICE_NAMES = new Set([
  'CON',
  'PRN',
  'AUX',
  'NUL',
  'CONIN$',
  'CONOUT$',
  ...['COM', 'LPT'].flatMap((port) => [...'0123456789¹²³'].map((digit) => `${port}${digit}`)),
]);

/** The reasons one "/"-separated relative path is not the same file on Windows, macOS and Linux (none when it is). */
export function pathProblems(path: string): string[] {
  const reasons: string[] = [];
  if (Buffer.byteLength(path) > MAX_PATH_BYTES)
    reasons.push(`a path of ${Buffer.byteLength(path)} bytes, longer than the ${MAX_PATH_BYTES} macOS allows`);
  for (const name of path.split('/')) {
    const problem = nameProblem(name);
    if (problem) reasons.push(path.includes('/') ? `${quote(name)} is ${problem}` : problem);
  }
  return reasons;
}

function nameProblem(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return 'not a name (empty, "." or "..")';
  const unprintable = UNPRINTABLE.exec(name);
  if (unprintable) return `a name with the unprintable character ${codePoint(unprintable[0])}`;
  const forbidden = WINDOWS_FORBIDDEN.exec(name);
  if (forbidden) return `a name with ${JSON.stringify(forbidden[0])}, which Windows forbids`;
  const device = name.split('.')[0].trimEnd().toUpperCase();
  if (DEVICE_NAMES.has(device)) return `a Windows device name (${device})`;
  if (/[. ]$/.test(name)) return 'a name ending in a dot or space, which Windows drops (naming another file there)';
  if (Buffer.byteLength(name) > MAX_NAME_BYTES)
    return `a name of ${Buffer.byteLength(name)} bytes, longer than the ${MAX_NAME_BYTES} file systems hold`;
  return undefined;
}

/**
 * Every problem with a set of paths: each path's own, then every two that are one file (or one
 * folder) on a case-insensitive or normalisation-insensitive file system. Paths are files; their
 * parent folders are checked for collisions too.
 */
export function portabilityProblems(paths: Iterable<string>): NameProblem[] {
  const problems: NameProblem[] = [];
  const byFold = new Map<string, string>();
  const collide = (path: string): void => {
    const fold = foldName(path);
    const other = byFold.get(fold);
    if (other === undefined) byFold.set(fold, path);
    else if (other !== path)
      problems.push({
        path,
        reason:
          other.normalize('NFC') === path.normalize('NFC')
            ? `the same name as ${quote(other)} in another Unicode normalisation (${form(path)} here, ${form(other)} there: one file on macOS)`
            : `the same name as ${quote(other)} but for case (one file on macOS and Windows)`,
      });
  };
  const folders = new Set<string>();
  for (const path of [...paths].sort()) {
    for (const reason of pathProblems(path)) problems.push({ path, reason });
    collide(path);
    // Each folder once (as Go's checker does): a folder already seen had its own parents checked.
    for (let end = path.lastIndexOf('/'); end > 0; end = path.lastIndexOf('/', end - 1)) {
      const folder = path.slice(0, end);
      if (folders.has(folder)) break;
      folders.add(folder);
      collide(folder);
    }
  }
  return problems;
}

function form(path: string): string {
  return path === path.normalize('NFC') ? 'composed' : path === path.normalize('NFD') ? 'decomposed' : 'mixed';
}

/** The key two names share when a case- and normalisation-insensitive file system takes them for one. */
function foldName(path: string): string {
  return path.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** `"CON.yaml": a Windows device name (CON); …`, at most `max` of them. */
export function describeProblems(problems: NameProblem[], separator = '; ', max = 20): string {
  const listed = problems.slice(0, max).map((p) => `${quote(p.path)}: ${p.reason}`);
  if (problems.length > max) listed.push(`and ${problems.length - max} more`);
  return listed.join(separator);
}

/** A name in double quotes with every unprintable character spelled out, so a message never carries it. */
export function quote(name: string): string {
  const shown = [...name.slice(0, 300)]
    .map((char) =>
      char === '"' || char === '\\'
        ? `\\${char}`
        : char !== ' ' && UNPRINTABLE.test(char)
          ? `\\u{${char.codePointAt(0)!.toString(16)}}`
          : char,
    )
    .join('');
  return `"${shown}${name.length > 300 ? '…' : ''}"`;
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Refuses an artifact whose file names are not portable, naming each and why. Every reader of an
 * artifact's files goes through here before a name becomes a path, a tree item or a diff label.
 */
export function refuseNonportableArtifact(paths: Iterable<string>): void {
  const problems = portabilityProblems(paths);
  if (problems.length === 0) return;
  throw new OciError(
    'PROTOCOL',
    `Refusing the artifact: ${problems.length === 1 ? 'a file name is' : `${problems.length} file names are`} not the same on Windows, macOS and Linux: ${describeProblems(problems)}`,
    {
      hint: 'Nothing from it was written or shown. Its publisher should rename these files and push it again (`oci-gitops push` refuses such names unless --allow-nonportable-names)',
      detail: { nonportableNames: problems },
    },
  );
}

/** Whether an error is refuseNonportableArtifact's, for a label that says what was refused. */
export function isNonportableRefusal(error: unknown): boolean {
  const detail = error instanceof OciError ? (error.detail as { nonportableNames?: unknown } | undefined) : undefined;
  return Array.isArray(detail?.nonportableNames);
}
