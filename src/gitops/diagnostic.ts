/** A finding on a YAML file, with 0-based positions (the CLI prints them 1-based). */
export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Offsets into the text. */
  start: number;
  end: number;
  /** Documentation for the rule. */
  link?: string;
  /** A replacement that fixes the problem, when one is certain. */
  fix?: { title: string; edits: TextEdit[] };
}

export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Position {
  line: number;
  column: number;
}
