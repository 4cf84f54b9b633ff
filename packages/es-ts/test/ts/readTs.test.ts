import { fcParameters } from '@rec/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EsParseError } from '../../src/EsParseError.js';
import { readTs } from '../../src/ts/readTs.js';
import { TsReader } from '../../src/ts/TsReader.js';
import { TsWriter } from '../../src/ts/TsWriter.js';
import type { AccessUnit } from '../../src/types.js';
import { concat } from './fixtures.js';

/** A synthetic 25 fps stream: 2 s, keyframe every 25, slices of varied size so PES span 1..6 packets. */
function syntheticTs(): { bytes: Uint8Array; aus: AccessUnit[] } {
  const writer = new TsWriter({ codec: 'h264' });
  const aus: AccessUnit[] = [];
  const parts: Uint8Array[] = [];
  for (let i = 0; i < 50; i++) {
    const size = 50 + ((i * 211) % 1000);
    const slice = new Uint8Array(size).map((_, k) => ((k * 7 + i) & 0x7f) | 0x01); // no start-code emulation
    slice[0] = i % 25 === 0 ? 0x65 : 0x41;
    const nals =
      i % 25 === 0
        ? [
            { type: 7, bytes: Uint8Array.of(0x67, 0x64, 0x00, 0x0b) },
            { type: 8, bytes: Uint8Array.of(0x68, 0xef) },
          ]
        : [];
    const au: AccessUnit = {
      codec: 'h264',
      nals: [...nals, { type: i % 25 === 0 ? 5 : 1, bytes: slice }],
      keyframe: i % 25 === 0,
      pts: 18_000 + i * 3600,
      dts: 18_000 + i * 3600,
      duration: 3600,
      byteOffset: 0,
    };
    aus.push(au);
    parts.push(writer.writeVideo(au));
  }
  return { bytes: concat(parts), aus };
}

const pidOf = (ts: Uint8Array, i: number) => ((ts[i + 1]! & 0x1f) << 8) | ts[i + 2]!;

describe('readTs', () => {
  it('gives the same result for any chunking, streamed or whole', async () => {
    const { bytes, aus } = syntheticTs();
    const whole = await readTs(bytes);
    expect(whole.pes.map((p) => p.pts)).toEqual(aus.map((au) => au.pts));
    expect(whole.pes.every((p) => p.pts === p.dts)).toBe(true);
    expect(whole.packets).toBe(bytes.length / 188);
    for (const size of [1, 7, 187, 189, 1000]) {
      async function* chunks() {
        for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
      }
      const progress: number[] = [];
      const read = await readTs(chunks(), { onProgress: (p) => progress.push(p.transferred) });
      expect(read).toEqual(whole);
      expect(progress.at(-1)).toBe(bytes.length);
    }
  });

  it('extracts every PCR with its packet index and offset', async () => {
    const { bytes, aus } = syntheticTs();
    const read = await readTs(bytes);
    expect(read.pcrs).toHaveLength(aus.length);
    for (const [i, pcr] of read.pcrs.entries()) {
      expect(pcr).toMatchObject({ pid: 0x100, base: aus[i]!.dts - 9000, pcr: (aus[i]!.dts - 9000) * 300 });
      expect(pcr.offset).toBe(pcr.packetIndex * 188);
      // The PCR sits in the adaptation field of the packet that starts the PES.
      expect(read.pes[i]!.packetIndex).toBe(pcr.packetIndex);
      expect(bytes[pcr.offset + 5]! & 0x10).toBe(0x10); // PCR_flag
    }
  });

  it('reports a dropped packet as a continuity error with PID and offset, and a duplicate as allowed', async () => {
    const { bytes } = syntheticTs();
    // Find the 3rd packet of a video PES that spans several packets, and drop it.
    let victim = -1;
    for (let i = 188 * 4; i < bytes.length; i += 188) {
      if (
        pidOf(bytes, i) === 0x100 &&
        !(bytes[i + 1]! & 0x40) &&
        !(bytes[i + 189]! & 0x40) &&
        pidOf(bytes, i + 188) === 0x100
      ) {
        victim = i;
        break;
      }
    }
    expect(victim).toBeGreaterThan(0);
    const damaged = concat([bytes.subarray(0, victim), bytes.subarray(victim + 188)]);
    const read = await readTs(damaged);
    const cc = bytes[victim + 3]! & 0x0f;
    expect(read.continuityErrors).toEqual([
      { pid: 0x100, offset: victim, packetIndex: victim / 188, expected: cc, found: (cc + 1) & 0x0f },
    ]);
    expect(read.continuityErrorCount).toBe(1);
    expect(read.warnings.map((w) => w.code)).toContain('TS_PES_DAMAGED');

    const duplicated = concat([
      bytes.subarray(0, victim + 188),
      bytes.subarray(victim, victim + 188),
      bytes.subarray(victim + 188),
    ]);
    const dup = await readTs(duplicated, { keepPayload: true });
    expect(dup.continuityErrorCount).toBe(0);
    expect(dup.duplicatePackets).toBe(1);
    const clean = await readTs(bytes, { keepPayload: true });
    expect(dup.pes.map((p) => p.payload)).toEqual(clean.pes.map((p) => p.payload));
  });

  it('honours discontinuity_indicator', async () => {
    const { bytes } = syntheticTs();
    const copy = bytes.slice();
    // Second video PES start: set its counter off by 5 and flag the discontinuity.
    const starts = [];
    for (let i = 0; i < copy.length; i += 188)
      if (pidOf(copy, i) === 0x100 && copy[i + 1]! & 0x40) starts.push(i);
    const at = starts[1]!;
    // From there on, every video counter jumps by 5: one break, as after a splice.
    for (let i = at; i < copy.length; i += 188) {
      if (pidOf(copy, i) === 0x100) copy[i + 3] = (copy[i + 3]! & 0xf0) | ((copy[i + 3]! + 5) & 0x0f);
    }
    expect((await readTs(copy)).continuityErrorCount).toBe(1);
    copy[at + 5] = copy[at + 5]! | 0x80; // discontinuity_indicator
    const read = await readTs(copy);
    expect(read.continuityErrorCount).toBe(0);
    expect(read.pcrs[1]!.discontinuity).toBe(true);
  });

  it('resyncs after garbage and reports where sync was lost', async () => {
    const { bytes } = syntheticTs();
    const garbage = new Uint8Array(100).fill(0x11);
    const at = 188 * 10;
    const read = await readTs(concat([bytes.subarray(0, at), garbage, bytes.subarray(at)]));
    expect(read.syncLosses).toEqual([{ offset: at, skipped: 100 }]);
    expect(read.packets).toBe(bytes.length / 188);
    expect(read.continuityErrorCount).toBe(0);
  });

  it('streams PES to a callback without collecting them', async () => {
    const { bytes, aus } = syntheticTs();
    const seen: number[] = [];
    const read = await readTs(bytes, { onPes: (p) => seen.push(p.size) });
    expect(read.pes).toEqual([]);
    expect(seen).toHaveLength(aus.length);
  });

  it('throws EsParseError on input without packets; never throws on random or mutated bytes', async () => {
    await expect(readTs(new Uint8Array(1000).fill(3))).rejects.toThrow(EsParseError);
    const { bytes } = syntheticTs();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (random) => {
        const reader = new TsReader({ keepPayload: true });
        reader.push(random);
        reader.finish();
      }),
      fcParameters(200),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 30 }),
        (edits) => {
          const copy = bytes.slice(0, 188 * 40);
          for (const [i, v] of edits) copy[i % copy.length] = v;
          const reader = new TsReader({ keepPayload: true });
          reader.push(copy);
          const r = reader.finish();
          return r.packets <= 40;
        },
      ),
      fcParameters(200),
    );
  });
});
