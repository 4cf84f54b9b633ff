import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openFileSource } from '@rec/core/node';
import { readBoxes } from '@rec/fmp4-boxes';
import {
  type HttpTestServer,
  makeTempDir,
  runFfmpeg,
  startHttpServer,
  type TempDir,
  testVideoEncoder,
  testVideoInput,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatByteRange,
  MpdError,
  parseMpd,
  type ResolvedRepresentation,
  type ResolveOptions,
  resolveMpd,
  type SegmentLocation,
} from '../src/index.js';
import { mpdText } from './helpers/resolve.js';

/** Fetches a location over HTTP with a Range request, as a downloader would. */
const loadRange: NonNullable<ResolveOptions['loadRange']> = async (location: SegmentLocation, signal) => {
  const headers: Record<string, string> = location.range
    ? { range: `bytes=${formatByteRange(location.range)}` }
    : {};
  const response = await fetch(location.url, { headers, signal });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${location.url}`);
  return new Uint8Array(await response.arrayBuffer());
};

const onlyRepresentation = (resolved: Awaited<ReturnType<typeof resolveMpd>>): ResolvedRepresentation => {
  const representation = resolved.periods[0]?.adaptationSets[0]?.representations[0];
  if (!representation) throw new Error('no Representation');
  return representation;
};

describe('SegmentBase with a sidx made by ffmpeg (ISO/IEC 23009-1 5.3.9.2, ISO/IEC 14496-12 8.16.3)', () => {
  let dir: TempDir;
  let server: HttpTestServer;
  /** ffmpeg's own MPD for the file: a SegmentList with the byte ranges ffmpeg wrote (the truth). */
  let ffmpegMpd: string;
  /** Where ffmpeg put the sidx (ftyp + moov before it), read from its SegmentList's init range. */
  let sidxRange: { first: number; last: number };

  beforeAll(async () => {
    dir = await makeTempDir('rec-mpd-sidx-');
    // 6 s, a keyframe every second, 2-second segments, one file with a global sidx.
    await runFfmpeg([
      // x264's default B-frames (3, a pyramid), as the command this replaced left them.
      ...testVideoInput({ seconds: 6, size: '160x90' }),
      ...testVideoEncoder({ bframes: 3 }),
      ...['-f', 'dash', '-single_file', '1', '-global_sidx', '1', '-seg_duration', '2'],
      ...['-use_template', '0', '-use_timeline', '0', join(dir.path, 'ffmpeg.mpd')],
    ]);
    ffmpegMpd = await readFile(join(dir.path, 'ffmpeg.mpd'), 'utf8');
    // The sidx follows moov: the top-level boxes up to it (their headers; no mdat read).
    const source = await openFileSource(join(dir.path, 'ffmpeg-stream0.mp4'));
    try {
      for await (const box of readBoxes(source, { maxDepth: 0 })) {
        if (box.type !== 'sidx') continue;
        sidxRange = { first: box.offset, last: box.offset + box.size - 1 };
        break;
      }
    } finally {
      await source.close();
    }
    await writeFile(
      join(dir.path, 'base.mpd'),
      mpdText(
        `<Period start="PT0S"><AdaptationSet mimeType="video/mp4"><Representation id="0" bandwidth="1">
          <BaseURL>ffmpeg-stream0.mp4</BaseURL>
          <SegmentBase indexRange="${formatByteRange(sidxRange)}"><Initialization range="0-${sidxRange.first - 1}"/></SegmentBase>
        </Representation></AdaptationSet></Period>`,
        'type="static" mediaPresentationDuration="PT6S"',
      ),
    );
    server = await startHttpServer({ root: dir.path });
  });
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('gives the byte ranges ffmpeg lists in its own SegmentList, read from the sidx by Range requests', async () => {
    const listed = onlyRepresentation(
      await resolveMpd(parseMpd(ffmpegMpd, { url: `${server.url}/ffmpeg.mpd` }), { loadRange }),
    );
    const indexed = onlyRepresentation(
      await resolveMpd(
        parseMpd(await readFile(join(dir.path, 'base.mpd')), { url: `${server.url}/base.mpd` }),
        {
          loadRange,
        },
      ),
    );
    const ranges = (r: ResolvedRepresentation) =>
      r.segments.map((s) => [s.url, s.range && formatByteRange(s.range)]);
    expect(listed.segments).toHaveLength(3);
    expect(ranges(indexed)).toEqual(ranges(listed));
    expect(indexed.init).toEqual({
      url: `${server.url}/ffmpeg-stream0.mp4`,
      range: { first: 0, last: sidxRange.first - 1 },
    });
    expect(indexed.index).toBeUndefined();
    // Times from the sidx, in its timescale (the track's, 12800 here): 2-second subsegments.
    expect(indexed.timescale).toBe(12800);
    expect(indexed.segments.map((s) => [s.time, s.duration, s.start, s.end])).toEqual([
      [0n, 25600, 0, 2],
      [25600n, 25600, 2, 4],
      [51200n, 25600, 4, 6],
    ]);
    // One Range request for the index, nothing else fetched.
    expect(server.requests.filter((request) => request.path === '/ffmpeg-stream0.mp4')).toHaveLength(1);
  });

  it('lists no segment and keeps the index location without a loader', async () => {
    const pending = onlyRepresentation(
      await resolveMpd(
        parseMpd(await readFile(join(dir.path, 'base.mpd')), { url: `${server.url}/base.mpd` }),
      ),
    );
    expect(pending.segments).toEqual([]);
    expect(pending.index).toEqual({ url: `${server.url}/ffmpeg-stream0.mp4`, range: sidxRange });
  });

  it('is an MPD_INDEX_INVALID MpdError when the index range holds no sidx', async () => {
    const wrong = mpdText(
      `<Period start="PT0S"><AdaptationSet mimeType="video/mp4"><Representation id="0" bandwidth="1">
        <BaseURL>ffmpeg-stream0.mp4</BaseURL><SegmentBase indexRange="0-31"/></Representation></AdaptationSet></Period>`,
      'type="static" mediaPresentationDuration="PT6S"',
    );
    const failing = resolveMpd(parseMpd(wrong, { url: `${server.url}/wrong.mpd` }), { loadRange });
    await expect(failing).rejects.toThrowError(MpdError);
    await expect(failing).rejects.toMatchObject({
      code: 'MPD_INDEX_INVALID',
      path: 'MPD/Period[0]/AdaptationSet[0]/Representation[0]',
    });
  });
});

describe('a hierarchical sidx (reference_type 1)', () => {
  /** A version-0 sidx: reference_ID 1, the timescale, EPT, first_offset, then (type, size, duration) references. */
  function sidx(
    timescale: number,
    ept: number,
    firstOffset: number,
    references: [type: 0 | 1, size: number, duration: number][],
  ) {
    const bytes = new Uint8Array(32 + 12 * references.length);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, bytes.length); // size
    bytes.set([0x73, 0x69, 0x64, 0x78], 4); // 'sidx'
    view.setUint32(8, 0); // version 0, flags 0
    view.setUint32(12, 1); // reference_ID
    view.setUint32(16, timescale); // timescale
    view.setUint32(20, ept); // earliest_presentation_time
    view.setUint32(24, firstOffset); // first_offset
    view.setUint16(28, 0); // reserved
    view.setUint16(30, references.length); // reference_count
    references.forEach(([type, size, duration], i) => {
      view.setUint32(32 + i * 12, ((type << 31) | size) >>> 0); // reference_type, referenced_size
      view.setUint32(36 + i * 12, duration); // subsegment_duration
      view.setUint32(40 + i * 12, 0x90000000); // starts_with_SAP 1, SAP_type 1, SAP_delta_time 0
    });
    return bytes;
  }

  it('follows nested indexes depth-first and places every subsegment in the file', async () => {
    // File: [0, 100) init, [100, 156) top sidx (2 refs to sidx), [156, 212) sidx A, [212, 268) sidx B,
    // then media: A's two subsegments (1000 and 2000 bytes), B's two (1500 and 500 bytes).
    const childA = sidx(1000, 0, 56, [
      [0, 1000, 2000],
      [0, 2000, 2000],
    ]);
    const childB = sidx(1000, 4000, 0, [
      [0, 1500, 2000],
      [0, 500, 1000],
    ]);
    // B's anchor is its own end (268) and its media starts after A's: first_offset = 3000.
    childB.set([0, 0, 0x0b, 0xb8], 24); // first_offset = 3000
    const top = sidx(1000, 0, 0, [
      [1, childA.length, 4000],
      [1, childB.length, 3000],
    ]);
    const file = new Uint8Array(268 + 5000);
    file.set(top, 100);
    file.set(childA, 156);
    file.set(childB, 212);
    const fetched: string[] = [];
    const mpd = parseMpd(
      mpdText(
        `<Period start="PT0S"><AdaptationSet mimeType="video/mp4"><Representation id="0" bandwidth="1">
          <BaseURL>media.mp4</BaseURL><SegmentBase indexRange="100-155"><Initialization range="0-99"/></SegmentBase>
        </Representation></AdaptationSet></Period>`,
        'type="static" mediaPresentationDuration="PT7S"',
      ),
      { url: 'https://cdn.example.com/v/manifest.mpd' },
    );
    const resolved = onlyRepresentation(
      await resolveMpd(mpd, {
        loadRange: async ({ url, range }) => {
          fetched.push(`${url} ${range ? formatByteRange(range) : ''}`);
          return file.subarray(range?.first ?? 0, (range?.last ?? file.length - 1) + 1);
        },
      }),
    );
    expect(fetched).toEqual([
      'https://cdn.example.com/v/media.mp4 100-155',
      'https://cdn.example.com/v/media.mp4 156-211',
      'https://cdn.example.com/v/media.mp4 212-267',
    ]);
    expect(
      resolved.segments.map((s) => [s.range && formatByteRange(s.range), s.time, s.duration, s.start]),
    ).toEqual([
      ['268-1267', 0n, 2000, 0],
      ['1268-3267', 2000n, 2000, 2],
      ['3268-4767', 4000n, 2000, 4],
      ['4768-5267', 6000n, 1000, 6],
    ]);
  });

  /** File: [0, 100) init, [100, 124) styp, [124, 180) sidx, then a moof of 1000 bytes and the next. */
  function stypSidxMoof() {
    const file = new Uint8Array(2180);
    const view = new DataView(file.buffer);
    view.setUint32(100, 24); // size
    file.set([0x73, 0x74, 0x79, 0x70], 104); // 'styp'
    file.set([0x6d, 0x73, 0x64, 0x68], 108); // major_brand 'msdh'
    view.setUint32(112, 0); // minor_version
    file.set([0x6d, 0x73, 0x64, 0x68, 0x6d, 0x73, 0x69, 0x78], 116); // compatible_brands 'msdh' 'msix'
    file.set(
      sidx(1000, 0, 0, [
        [0, 1000, 2000],
        [0, 1000, 2000],
      ]),
      124,
    );
    view.setUint32(180, 1000); // size
    file.set([0x6d, 0x6f, 0x6f, 0x66], 184); // 'moof'
    return file;
  }
  const resolveIndex = (file: Uint8Array, indexRange: string) =>
    resolveMpd(
      parseMpd(
        mpdText(
          `<Period start="PT0S"><AdaptationSet mimeType="video/mp4"><Representation id="0" bandwidth="1">
            <BaseURL>media.mp4</BaseURL><SegmentBase indexRange="${indexRange}"><Initialization range="0-99"/></SegmentBase>
          </Representation></AdaptationSet></Period>`,
          'type="static" mediaPresentationDuration="PT4S"',
        ),
        { url: 'https://cdn.example.com/v/manifest.mpd' },
      ),
      {
        loadRange: async ({ range }) =>
          file.subarray(range?.first ?? 0, (range?.last ?? file.length - 1) + 1),
      },
    );

  it('reads the sidx of an index range that starts at a styp and ends inside the moof after it', async () => {
    const resolved = onlyRepresentation(await resolveIndex(stypSidxMoof(), '100-191'));
    expect(
      resolved.segments.map((s) => [s.range && formatByteRange(s.range), s.time, s.duration, s.start]),
    ).toEqual([
      ['180-1179', 0n, 2000, 0],
      ['1180-2179', 2000n, 2000, 2],
    ]);
  });

  it('a cut sidx is MPD_INDEX_INVALID, caused by the BoxParseError that says where in the index', async () => {
    const failing = resolveIndex(stypSidxMoof(), '100-150');
    await expect(failing).rejects.toThrowError(MpdError);
    await expect(failing).rejects.toMatchObject({
      code: 'MPD_INDEX_INVALID',
      path: 'MPD/Period[0]/AdaptationSet[0]/Representation[0]',
      // Offsets in the fetched index range: the sidx starts after the 24-byte styp.
      cause: { name: 'BoxParseError', code: 'BOX_TRUNCATED', offset: 24, path: 'sidx' },
    });
  });
});
