/** An object `for await` can read: an async iterable or an iterable (a Node Readable, a generator, an array). */
export function isIterable(value: unknown): value is AsyncIterable<unknown> | Iterable<unknown> {
  return (
    typeof value === 'object' && value !== null && (Symbol.asyncIterator in value || Symbol.iterator in value)
  );
}
