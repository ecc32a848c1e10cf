/**
 * A file system that names files the way a desktop does, for checking on Linux what a folder
 * becomes on macOS or Windows:
 * - macOS (APFS, default): names compared case-insensitively and normalisation-insensitively.
 * - Windows (NTFS through Win32): names compared case-insensitively; trailing dots and spaces
 *   dropped from every name; a device name (CON, aux.yaml, COM1…) opens the device, so nothing is
 *   stored; `:` opens an alternate data stream of another file; `* ? " < > |` and control
 *   characters are refused (Microsoft, "Naming Files, Paths, and Namespaces").
 * Writing never fails: what the desktop would lose, replace or refuse is simply not readable back
 * under the name written, which is what `extractsIdentically` checks.
 */
export type Desktop = 'macos' | 'windows';

const DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])$/;

export class SimulatedDesktopFileSystem {
  private readonly stored = new Map<string, { path: string; content: Buffer }>();

  constructor(readonly desktop: Desktop) {}

  write(path: string, content: Buffer): void {
    const key = this.key(path);
    if (key !== undefined) this.stored.set(key, { path, content });
  }

  read(path: string): Buffer | undefined {
    const key = this.key(path);
    return key === undefined ? undefined : this.stored.get(key)?.content;
  }

  /** The key under which the desktop stores `path`, or undefined when the name reaches no file of its own. */
  private key(path: string): string | undefined {
    const names = path.split('/').map((name) => (this.desktop === 'windows' ? name.replace(/[. ]+$/, '') : name.normalize('NFD')));
    if (this.desktop === 'windows') {
      for (const name of names) {
        if (/[\u0000-\u001f*?"<>|\\:]/.test(name)) return undefined;
        if (DEVICE.test(name.split('.')[0].trimEnd().toLowerCase())) return undefined;
      }
    }
    return names.map((name) => name.toUpperCase().toLowerCase()).join('/');
  }
}

/** Whether writing every file to `desktop` gives each back, byte for byte, under its own name. */
export function extractsIdentically(files: Map<string, Buffer>, desktop: Desktop): boolean {
  const fs = new SimulatedDesktopFileSystem(desktop);
  for (const [path, content] of files) fs.write(path, content);
  return [...files].every(([path, content]) => fs.read(path)?.equals(content) ?? false);
}
