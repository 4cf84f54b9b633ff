import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeTestVideo, makeTempDir, probePackets, type TempDir } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32Mpeg2 } from '../../src/ts/crc32Mpeg2.js';
import { readPatSection, readPmtSection } from '../../src/ts/readPsiSection.js';
import { readTs } from '../../src/ts/readTs.js';
import { StreamType } from '../../src/ts/StreamType.js';
import { writePatSection } from '../../src/ts/writePatSection.js';
import { writePmtSection } from '../../src/ts/writePmtSection.js';
import { writePsiPacket } from '../../src/ts/writePsiPacket.js';

// What ffmpeg (mpegtsenc) writes for one H.264 program with its defaults
// (transport_stream_id 1, program 1, PMT PID 0x1000, video PID 0x100):
// the CRCs come from ffmpeg, not from our CRC code.
const PAT_SECTION = Uint8Array.of(
  0x00, // table_id: program_association_section
  0xb0, // section_syntax_indicator 1, '0', reserved '11', section_length[11..8] 0
  0x0d, // section_length 13
  0x00, // transport_stream_id 1
  0x01,
  0xc1, // reserved '11', version_number 0, current_next_indicator 1
  0x00, // section_number
  0x00, // last_section_number
  0x00, // program_number 1
  0x01,
  0xf0, // reserved '111', program_map_PID 0x1000
  0x00,
  0x2a, // CRC_32 0x2AB104B2
  0xb1,
  0x04,
  0xb2,
);
const PMT_SECTION = Uint8Array.of(
  0x02, // table_id: TS_program_map_section
  0xb0, // section_syntax_indicator 1, '0', reserved '11', section_length[11..8] 0
  0x12, // section_length 18
  0x00, // program_number 1
  0x01,
  0xc1, // reserved '11', version_number 0, current_next_indicator 1
  0x00, // section_number
  0x00, // last_section_number
  0xe1, // reserved '111', PCR_PID 0x100
  0x00,
  0xf0, // reserved '1111', program_info_length 0
  0x00,
  0x1b, // stream_type: H.264
  0xe1, // reserved '111', elementary_PID 0x100
  0x00,
  0xf0, // reserved '1111', ES_info_length 0
  0x00,
  0x15, // CRC_32 0x15BD4D56
  0xbd,
  0x4d,
  0x56,
);

let tmp: TempDir;
let ffmpegTs: Uint8Array;
let ffmpegFile: string;

beforeAll(async () => {
  tmp = await makeTempDir('rec-es-ts-psi-');
  ffmpegFile = join(tmp.path, 'ffmpeg.ts');
  await encodeTestVideo(ffmpegFile, { seconds: 1, size: '160x90', format: 'mpegts' });
  ffmpegTs = new Uint8Array(await readFile(ffmpegFile));
});
afterAll(async () => {
  await tmp?.remove();
});

/** The payload of the first packet on `pid`, after the pointer_field. */
function firstSection(ts: Uint8Array, pid: number): Uint8Array {
  for (let i = 0; i + 188 <= ts.length; i += 188) {
    if ((((ts[i + 1]! & 0x1f) << 8) | ts[i + 2]!) === pid) return ts.subarray(i + 5, i + 188);
  }
  throw new Error(`no packet on PID ${pid}`);
}

describe('CRC-32/MPEG-2', () => {
  it('matches the catalogue check value and zeroes over a whole section', () => {
    expect(crc32Mpeg2(new TextEncoder().encode('123456789'))).toBe(0x0376e6e7);
    expect(crc32Mpeg2(PAT_SECTION)).toBe(0);
    expect(crc32Mpeg2(PMT_SECTION)).toBe(0);
  });
});

describe('PAT and PMT', () => {
  it('writes the sections byte for byte as the literals (and as ffmpeg)', () => {
    expect(
      writePatSection({ transportStreamId: 1, programs: [{ programNumber: 1, pmtPid: 0x1000 }] }),
    ).toEqual(PAT_SECTION);
    expect(
      writePmtSection({
        programNumber: 1,
        pcrPid: 0x100,
        streams: [{ streamType: StreamType.H264, pid: 0x100 }],
      }),
    ).toEqual(PMT_SECTION);
    expect(firstSection(ffmpegTs, 0).subarray(0, PAT_SECTION.length)).toEqual(PAT_SECTION);
    expect(firstSection(ffmpegTs, 0x1000).subarray(0, PMT_SECTION.length)).toEqual(PMT_SECTION);
  });

  it('wraps a section in one packet with pointer_field 0 and 0xFF stuffing', () => {
    const packet = writePsiPacket(0, PAT_SECTION);
    expect(Array.from(packet.subarray(0, 5))).toEqual([
      0x47, // sync_byte
      0x40, // payload_unit_start_indicator 1, PID[12..8] 0
      0x00, // PID[7..0]
      0x10, // adaptation_field_control '01', continuity_counter 0
      0x00, // pointer_field
    ]);
    expect(packet.subarray(5, 5 + PAT_SECTION.length)).toEqual(PAT_SECTION);
    expect(packet.subarray(5 + PAT_SECTION.length).every((b) => b === 0xff)).toBe(true);
    expect(packet).toHaveLength(188);
  });

  it('reads PAT, PMT (with descriptors) back', () => {
    expect(readPatSection(PAT_SECTION)).toMatchObject({
      tableId: 0,
      tableIdExtension: 1,
      version: 0,
      currentNext: true,
      programs: [{ programNumber: 1, pmtPid: 0x1000 }],
      networkPid: undefined,
    });
    const descriptors = Uint8Array.of(0x0a, 0x04, 0x65, 0x6e, 0x67, 0x00); // ISO_639_language_descriptor 'eng'
    const pmt = writePmtSection({
      programNumber: 7,
      pcrPid: 0x101,
      version: 3,
      streams: [
        { streamType: StreamType.Hevc, pid: 0x100 },
        { streamType: StreamType.AacAdts, pid: 0x101, descriptors },
      ],
    });
    expect(readPmtSection(pmt)).toMatchObject({
      programNumber: 7,
      pcrPid: 0x101,
      version: 3,
      streams: [
        { streamType: 0x24, pid: 0x100, descriptors: new Uint8Array(0) },
        { streamType: 0x0f, pid: 0x101, descriptors },
      ],
    });
  });

  it('readTs follows PAT -> PMT in the TS ffmpeg wrote and finds its PES timestamps', async () => {
    const read = await readTs(ffmpegTs);
    expect(read.programs).toEqual([{ programNumber: 1, pmtPid: 0x1000, pcrPid: 0x100 }]);
    expect(read.streams).toEqual([{ pid: 0x100, streamType: 0x1b, programNumber: 1 }]);
    expect(read.sections.filter((s) => s.pid === 0x11).map((s) => s.tableId)).toContain(0x42); // SDT
    expect(read.sections.every((s) => s.crcValid)).toBe(true);
    expect(read.continuityErrorCount).toBe(0);
    const truth = await probePackets(ffmpegFile, 'v:0');
    expect(read.pes.map((p) => [p.pts, p.dts])).toEqual(truth.map((p) => [p.pts, p.dts]));
    expect(read.pes.map((p) => p.size)).toEqual(truth.map((p) => Number(p.size)));
  });
});
