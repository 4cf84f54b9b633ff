/**
 * `text` as one flat string: built by `+=`, a string is a rope of a node
 * per piece, which the GC copies for as long as it lives (a 2-million-line
 * table held that way took 500 MB; ropes kept until the sink joined them
 * were a seventh of a dump's time). Reading a character flattens a rope in
 * place (V8's String::Flatten), and the nodes die young.
 */
export function flatten(text: string): string {
  if (text.length > 0) text.charCodeAt(text.length - 1);
  return text;
}
