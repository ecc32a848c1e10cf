import type { Writable } from 'node:stream';

/**
 * Writes one item per line, up to a thousand lines per write: on a pipe every write is a system
 * call of its own, and a listing of 10,000 tags written line by line spent longer in them than in
 * asking the registry. What was listed before a failure is still written. `format` makes an item
 * safe to print (registry strings go through terminalText).
 */
export async function writeLines(
  stream: Writable,
  items: AsyncIterable<string>,
  format: (item: string) => string = (item) => item,
): Promise<void> {
  let batch = '';
  let count = 0;
  try {
    for await (const item of items) {
      batch += `${format(item)}\n`;
      if (++count % 1000 === 0) {
        stream.write(batch);
        batch = '';
      }
    }
  } finally {
    if (batch) stream.write(batch);
  }
}
