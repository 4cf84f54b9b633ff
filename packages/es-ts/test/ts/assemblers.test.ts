import { describe, expect, it } from 'vitest';
import { EsWarningCode, type TsPes } from '../../src/index.js';
import { PesAssembler } from '../../src/ts/PesAssembler.js';
import { PsiSectionAssembler } from '../../src/ts/PsiSectionAssembler.js';
import { writePatSection } from '../../src/ts/writePatSection.js';
import { writePesHeader } from '../../src/ts/writePesHeader.js';

// The two reassemblers under TsReader, fed packet payloads as TsReader hands them over:
// `b[start, end)` of a packet, with payload_unit_start_indicator.

/** A 184-byte packet payload: `bytes`, then 0xFF stuffing. */
function payload(...bytes: (number | Uint8Array)[]): Uint8Array {
  const out = new Uint8Array(184).fill(0xff);
  let at = 0;
  for (const b of bytes) {
    if (typeof b === 'number') out[at++] = b;
    else {
      out.set(b, at);
      at += b.length;
    }
  }
  return out;
}

describe('PsiSectionAssembler (ISO/IEC 13818-1 2.4.4)', () => {
  function assembler() {
    const sections: [number, number[], number][] = [];
    const warnings: EsWarningCode[] = [];
    const psi = new PsiSectionAssembler({
      onSection: (pid, section, start) => sections.push([pid, Array.from(section), start.packetIndex]),
      warn: (code) => warnings.push(code),
    });
    return { psi, sections, warnings };
  }
  // A PAT of 2 programs: 3 + 5 + 8 + 4 = 20 bytes.
  const pat = writePatSection({
    programs: [
      { programNumber: 1, pmtPid: 0x1000 },
      { programNumber: 2, pmtPid: 0x1001 },
    ],
  });

  it('a section in one payload, after pointer_field 0, up to the stuffing', () => {
    const { psi, sections } = assembler();
    psi.push(0, true, payload(0x00 /* pointer_field */, pat), 0, 184, 0, 7);
    expect(sections).toEqual([[0, Array.from(pat), 7]]);
  });

  it('a section across packets: the rest comes without payload_unit_start_indicator', () => {
    const { psi, sections } = assembler();
    // Only the last 10 bytes of the first payload hold the section's start (pointer_field 173 skips the rest).
    const first = payload(173, new Uint8Array(173).fill(0xaa), pat.subarray(0, 10));
    psi.push(0, true, first, 0, 184, 0, 1);
    expect(sections).toEqual([]);
    psi.push(0, false, payload(pat.subarray(10)), 0, 184, 188, 2);
    expect(sections).toEqual([[0, Array.from(pat), 1]]);
  });

  it('pointer_field finishes the open section; the next one starts after it in the same payload', () => {
    const { psi, sections } = assembler();
    psi.push(0, true, payload(173, new Uint8Array(173), pat.subarray(0, 10)), 0, 184, 0, 1);
    // pointer_field 10: the 10 bytes that end the previous section, then a new one.
    psi.push(0, true, payload(10, pat.subarray(10), pat), 0, 184, 188, 2);
    expect(sections.map(([, , index]) => index)).toEqual([1, 2]);
  });

  it('a section_length beyond 4093 is skipped with a warning; a continuity error loses the open section', () => {
    const { psi, sections, warnings } = assembler();
    psi.push(0x11, true, payload(0, 0x42, 0xbf, 0xff /* section_length 4095 */), 0, 184, 0, 0);
    expect(warnings).toEqual([EsWarningCode.TsBadSection]);
    psi.push(0, true, payload(173, new Uint8Array(173), pat.subarray(0, 10)), 0, 184, 188, 1);
    psi.reset(0);
    psi.push(0, false, payload(pat.subarray(10)), 0, 184, 376, 2);
    expect(sections).toEqual([]);
  });
});

describe('PesAssembler (ISO/IEC 13818-1 2.4.3.6)', () => {
  function assembler(keepPayload = false) {
    const pes: TsPes[] = [];
    const warnings: EsWarningCode[] = [];
    const assembler = new PesAssembler({
      keepPayload,
      onPes: (p) => pes.push(p),
      warn: (code) => warnings.push(code),
    });
    return { assembler, pes, warnings };
  }
  const header = (fields: Parameters<typeof writePesHeader>[2]) => {
    const out = new Uint8Array(19);
    return out.subarray(0, writePesHeader(out, 0, fields));
  };

  it('a header split across packets; the PES ends at the next start on its PID, payload kept on request', () => {
    const { assembler: a, pes } = assembler(true);
    const h = header({ streamId: 0xe0, pts: 133_200, dts: 126_000 });
    a.push(0x100, true, h.subarray(0, 7), 0, 7, 0, 0, true);
    a.push(0x100, false, Uint8Array.from([...h.subarray(7), 1, 2, 3]), 0, h.length - 7 + 3, 188, 1, false);
    a.push(0x100, false, Uint8Array.of(4, 5), 0, 2, 376, 2, false);
    expect(pes).toEqual([]);
    a.push(0x100, true, header({ streamId: 0xe0, pts: 136_800 }), 0, 14, 564, 3, false);
    expect(pes).toEqual([
      {
        pid: 0x100,
        streamId: 0xe0,
        pts: 133_200,
        dts: 126_000,
        size: 5,
        pesPacketLength: 0,
        randomAccess: true,
        offset: 0,
        packetIndex: 0,
        packets: 3,
        payload: Uint8Array.of(1, 2, 3, 4, 5),
      },
    ]);
    a.finish();
    expect(pes.map((p) => [p.pts, p.size])).toEqual([
      [133_200, 5],
      [136_800, 0],
    ]);
  });

  it('PES_packet_length ends it; bytes beyond are a warning', () => {
    const { assembler: a, pes, warnings } = assembler();
    const h = header({ streamId: 0xc0, pts: 90_000, payloadLength: 4 });
    a.push(0x101, true, Uint8Array.from([...h, 9, 9, 9, 9, 9, 9]), 0, h.length + 6, 0, 0, false);
    expect(pes.map((p) => [p.pesPacketLength, p.size])).toEqual([[3 + 5 + 4, 6]]);
    expect(warnings).toEqual([EsWarningCode.TsPesOverrun]);
  });

  it('no packet_start_code_prefix: skipped; a PES that ends inside its header: dropped', () => {
    const { assembler: a, pes, warnings } = assembler();
    a.push(0x100, true, Uint8Array.of(0, 0, 2, 0xe0), 0, 4, 0, 0, false);
    expect(a.has(0x100)).toBe(false);
    a.push(0x100, true, header({ streamId: 0xe0, pts: 1 }).subarray(0, 8), 0, 8, 188, 1, false);
    expect(a.has(0x100)).toBe(true);
    a.end(0x100);
    expect(pes).toEqual([]);
    expect(warnings).toEqual([EsWarningCode.TsBadPes, EsWarningCode.TsPesTruncated]);
  });
});
