/** Byte-literal builders for box tests (@rec/fmp4-boxes, mp4dump): each call is one field. */

export const u8 = (...values: number[]): number[] => values;
export const u16 = (value: number): number[] => [(value >> 8) & 0xff, value & 0xff];
export const u24 = (value: number): number[] => [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
export const u32 = (value: number): number[] => [
  (value >>> 24) & 0xff,
  (value >>> 16) & 0xff,
  (value >>> 8) & 0xff,
  value & 0xff,
];
export const u64 = (value: number | bigint): number[] => {
  const big = BigInt(value);
  return [...u32(Number(big >> 32n)), ...u32(Number(big & 0xffffffffn))];
};
export const fourcc = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
export const zeros = (count: number): number[] => new Array<number>(count).fill(0);

/** Concatenates fields into bytes. */
export const bytes = (...fields: number[][]): Uint8Array => new Uint8Array(fields.flat());

/** A box with a 32-bit size computed from its body. */
export const box = (type: string, ...body: number[][]): number[] => {
  const flat = body.flat();
  return [...u32(8 + flat.length), ...fourcc(type), ...flat];
};

/** A FullBox: version, flags, then the body. */
export const fullBox = (type: string, version: number, flags: number, ...body: number[][]): number[] =>
  box(type, u8(version), u24(flags), ...body);

/** Packs [bit count, value] fields MSB first into bytes, the last one zero-padded. */
export function bits(...fields: [number, number][]): number[] {
  return packBits(fields).out;
}

/** As `bits`, for fields that must end on a byte boundary (a byte-aligned record): anything else throws. */
export function alignedBits(...fields: [number, number][]): number[] {
  const { out, used } = packBits(fields);
  if (used > 0) throw new Error(`${used} bits left over`);
  return out;
}

function packBits(fields: readonly [number, number][]): { out: number[]; used: number } {
  const out: number[] = [];
  let byte = 0;
  let used = 0;
  for (const [count, value] of fields) {
    for (let i = count - 1; i >= 0; i--) {
      byte = (byte << 1) | (Math.floor(value / 2 ** i) & 1);
      if (++used === 8) {
        out.push(byte);
        byte = 0;
        used = 0;
      }
    }
  }
  if (used > 0) out.push(byte << (8 - used));
  return { out, used };
}
