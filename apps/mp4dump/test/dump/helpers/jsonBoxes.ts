/** A box of our JSON dump, parsed (repeated keys keep their last value). */
export interface JsonBox {
  name: string;
  header_size: number;
  size: number;
  children?: JsonBox[];
  [field: string]: unknown;
}

/** The boxes named `name` anywhere in the tree, in file order. */
export function findJsonBoxes(boxes: readonly JsonBox[], name: string): JsonBox[] {
  const found: JsonBox[] = [];
  const walk = (list: readonly JsonBox[]) => {
    for (const box of list) {
      if (box.name === name) found.push(box);
      if (box.children) walk(box.children);
    }
  };
  walk(boxes);
  return found;
}

/** The one box named `name` (the test fails if there is none or several). */
export function findJsonBox(boxes: readonly JsonBox[], name: string): JsonBox {
  const found = findJsonBoxes(boxes, name);
  if (found.length !== 1) throw new Error(`${found.length} boxes named ${name}`);
  return found[0]!;
}
