/**
 * Issue 10, "every decoded box serializes back to the same bytes", on
 * damaged inputs: the mutations the reliability fuzzer found (bench/
 * reliability.ts, parser mp4), each rebuilt here as a patch of a fixture.
 * A box the reader decoded writes back as the bytes it was read from;
 * the decoded fields stay what they were.
 */
import { describe, expect, it } from 'vitest';
import {
  type AvcConfigurationBox,
  type EventMessageBox,
  encodeBox,
  findBox,
  type HandlerBox,
  parseBoxes,
  type VisualSampleEntry,
} from '../src/index.js';
import { fixtureBytes } from './helpers/bento4.js';

const STSD = 'moov/trak/mdia/minf/stbl/stsd';
const AVC1 = `${STSD}/avc1`;

/** The fixture with `patch` applied at offsets found by path in the unpatched file. */
function mutated(patch: (bytes: Uint8Array, at: (path: string) => number) => void): Uint8Array {
  const bytes = fixtureBytes('06-dash_init-0.m4s');
  const boxes = parseBoxes(bytes);
  patch(bytes, (path) => findBox(boxes, path)!.offset);
  return bytes;
}

/** Every top-level box written alone (as the fuzzer does) gives its bytes. */
function expectWritesBack(bytes: Uint8Array): void {
  for (const box of parseBoxes(bytes)) {
    const written = Buffer.from(encodeBox(box, { original: bytes }));
    expect(written.toString('hex'), box.path).toBe(
      Buffer.from(bytes.subarray(box.offset, box.offset + box.size)).toString('hex'),
    );
  }
}

/** VisualSampleEntry: 8 header + 8 SampleEntry + 34 bytes of fields before compressorname (12.1.3). */
const COMPRESSOR_NAME = 50;

describe('mutated inputs write back as read', () => {
  it('avc1 compressorname: bytes after the name, a length above 31, invalid UTF-8', () => {
    const cases: [number[], string][] = [
      [[0, 3, 3, 3], ''], // padding that is not zeros
      [[3, 3, 3, 3, 3, 3, 3], '\u0003\u0003\u0003'], // the name, then more bytes
      [[0x73, 0x64], `d${'\u0000'.repeat(30)}`], // length 115: the 31 bytes there are the name
      [[2, 0xff, 0x41], '\ufffdA'], // not UTF-8
    ];
    for (const [field, name] of cases) {
      const bytes = mutated((b, at) => b.set(field, at(AVC1) + COMPRESSOR_NAME));
      expect(findBox(parseBoxes(bytes), AVC1)!.compressorName).toBe(name);
      expectWritesBack(bytes);
    }
  });

  it('avc1 compressorname: an edited name writes the canonical field', () => {
    const bytes = mutated((b, at) => b.set([0, 3, 3, 3], at(AVC1) + COMPRESSOR_NAME));
    const boxes = parseBoxes(bytes);
    const avc1 = findBox(boxes, AVC1)! as VisualSampleEntry;
    avc1.compressorName = 'x264';
    const written = encodeBox(avc1, { ancestors: [findBox(boxes, STSD)!], original: bytes });
    const field = written.subarray(COMPRESSOR_NAME, COMPRESSOR_NAME + 32);
    expect([...field]).toEqual([4, ...Buffer.from('x264'), ...new Array(27).fill(0)]);
  });

  it('avcC reserved bits that are not all ones (0x2f, 0x06, 0x03, 0x01)', () => {
    const avcC = `${AVC1}/avcC`;
    // 8 header + 4: lengthSizeMinusOne's byte, numOfSequenceParameterSets's; the
    // High profile extension (chroma_format, bit depths) is the last 4 bytes.
    const bytes = mutated((b, at) => {
      b[at(avcC) + 12] = 0x03; // reserved '000000', lengthSizeMinusOne 3
      b[at(avcC) + 13] = 0x01; // reserved '000', 1 SPS
      b[at(avcC) + 52 - 4] = 0x2f; // reserved '001011', chroma_format 3
      b[at(avcC) + 52 - 3] = 0x06; // reserved '00000', bit_depth_luma_minus8 6
    });
    const box = findBox(parseBoxes(bytes), avcC)! as AvcConfigurationBox;
    expect([
      box.naluLengthSize,
      box.sequenceParameters.length,
      box.chromaFormat,
      box.bitDepthLumaMinus8,
    ]).toEqual([4, 1, 3, 6]);
    expectWritesBack(bytes);
  });

  it('stsd: entry_count disagreeing with its entries, an entry of type 0000', () => {
    const bytes = mutated((b, at) => {
      b.set([0, 0, 0, 2], at(STSD) + 12); // entry_count 2, one entry there
      b.set([0, 0, 0, 0], at(AVC1) + 4); // the entry's type
      b.set([2, 0, 0, 2, 0x27], at(AVC1) + COMPRESSOR_NAME + 10); // bytes in its compressorname padding
    });
    const stsd = findBox(parseBoxes(bytes), STSD)!;
    expect(stsd.children?.map((entry) => entry.size)).toEqual([174]);
    expectWritesBack(bytes);
  });

  it('moov/udta/meta/hdlr: a name without its NUL, ending in 0xff', () => {
    const bytes = mutated((b, at) => {
      b[at('moov/udta/meta/hdlr') + 32] = 0xff; // the NUL after "mdirappl" and 12 zeros (bare, not UTF-8)
    });
    const hdlr = findBox(parseBoxes(bytes), 'moov/udta/meta/hdlr')! as HandlerBox;
    expect(hdlr.nameFormat).toBe('bare');
    expectWritesBack(bytes);
    hdlr.handlerName = 'edited';
    expect(Buffer.from(encodeBox(hdlr).subarray(32)).toString()).toBe('edited');
  });

  it('emsg: strings without their NUL at the end of the box, invalid UTF-8; an edited value writes canonical strings', () => {
    const hex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));
    // The fuzzer's #46204 (seed 20261202): a version-2 emsg read as version 1, one string byte left and no NUL.
    const unterminated = hex('00000021656d736702778806000000026a000000086d66726100000016656c7374').subarray(
      0,
      33,
    );
    const v0 = hex('00000021 656d7367 00000000 ff00 6100 00000001 00000002 00000003 00000004 00');
    for (const bytes of [unterminated, v0]) expectWritesBack(bytes);
    expect((parseBoxes(unterminated)[0] as EventMessageBox).schemeIdUri).toBe('t');
    const [box] = parseBoxes(v0) as [EventMessageBox];
    expect([box.schemeIdUri, box.value, box.timeScale, box.id]).toEqual(['\ufffd', 'a', 1, 4]);
    const changed: EventMessageBox = { ...box, value: 'b' };
    const edited = encodeBox(changed);
    expect(Buffer.from(edited).subarray(12, 17).toString('hex')).toBe('efbfbd0062'); // U+FFFD, NUL, "b"
  });
});
