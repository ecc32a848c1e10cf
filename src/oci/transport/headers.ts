/** A response header's value: Node gives a list when a header came more than once; the first one counts. */
export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
