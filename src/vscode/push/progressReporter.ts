import type * as vscode from 'vscode';
import type { PushProgress } from '../../artifact/push';
import { formatSize } from '../../text/format';

/** Turns push progress into the notification's message and bar: bytes, total and rate, 4 times a second at most. */
export class ProgressReporter {
  private last = 0;
  private reported = 0;
  private readonly started = Date.now();

  constructor(private readonly progress: vscode.Progress<{ message?: string; increment?: number }>) {}

  report(p: PushProgress): void {
    const now = Date.now();
    if (now - this.last < 250 && p.phase === 'uploading' && p.bytesDone < p.bytesTotal) return;
    this.last = now;
    if (p.phase === 'packing') {
      this.progress.report({ message: `packing… ${formatSize(p.bytesDone)} read` });
      return;
    }
    if (p.phase === 'tagging') {
      this.progress.report({ message: 'tagging…', increment: Math.max(0, 100 - this.reported) });
      this.reported = 100;
      return;
    }
    const percent = p.bytesTotal ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 0;
    const rate = p.bytesDone / Math.max(0.001, (now - this.started) / 1000);
    this.progress.report({
      message: `${formatSize(p.bytesDone)} of ${formatSize(p.bytesTotal)} (${formatSize(rate)}/s)`,
      increment: Math.max(0, percent - this.reported),
    });
    this.reported = Math.max(this.reported, percent);
  }
}
