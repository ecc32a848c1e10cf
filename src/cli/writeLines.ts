import type { Writable } from 'node:stream';

/**
 * Writes one item per line, up to a thousand lines per write: on a pipe every write is a system
 * call of its own, and a listing of 10,000 tags written line by line spent longer in them than in
 * asking the registry. What was listed before a failure is still written. `format` makes an item
 * safe to print (registry strings go through terminalText). A listing may come a page at a time.
 */
export async function writeLines(
  stream: Writable,
  items: AsyncIterable<string | readonly string[]>,
  format: (item: string) => string = (item) => item,
): Promise<void> {
  let batch = '';
  let count = 0;
  const add = (item: string) => {
    batch += `${format(item)}\n`;
    if (++count % 1000 === 0) {
      stream.write(batch);
      batch = '';
    }
  };
  try {
    for await (const item of items) {
      if (typeof item === 'string') add(item);
      else for (const one of item) add(one);
    }
  } finally {
    if (batch) stream.write(batch);
  }
}
