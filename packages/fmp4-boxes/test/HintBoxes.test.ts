/**
 * RTP hint tracks (ISO/IEC 14496-12 9.1): the `rtp ` sample entry with its
 * `tims`, and the track's `udta/hnti/sdp `, as `ffmpeg -movflags rtphint`
 * writes them (the SDP checked against the RTP timescale and payload
 * types it announces); the movie-level `hnti/rtp ` (not a sample entry)
 * from a byte literal with the NUL and padding hinters leave. Each written
 * back as read.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  box,
  bytes,
  fourcc,
  makeTempDir,
  runFfmpeg,
  type TempDir,
  testAudioInput,
  testVideoInput,
  u8,
} from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Box,
  findBox,
  parseBoxes,
  type RtpHintSampleEntry,
  type RtpMovieHintInformationBox,
  type RtpTimescaleBox,
  type SdpBox,
} from '../src/index.js';
import { expectRoundTrip } from './helpers/roundTrip.js';

let temp: TempDir;
beforeAll(async () => {
  temp = await makeTempDir('fmp4-boxes-hint-');
});
afterAll(() => temp?.remove());

describe('RTP hint boxes', () => {
  it("ffmpeg's hint tracks: rtp  entries with tims, the SDP of each in udta/hnti", async () => {
    const file = join(temp.path, 'hinted.mp4');
    await runFfmpeg([
      // The tone first: the video's `-t` and `-pix_fmt` are output options.
      ...['-v', 'error', ...testAudioInput({ seconds: 1 }), ...testVideoInput({ seconds: 1 })],
      ...['-map', '1:v', '-map', '0:a', '-c:v', 'libx264', '-c:a', 'aac', '-ar', '48000'],
      ...['-movflags', 'rtphint', file],
    ]);
    const input = new Uint8Array(await readFile(file));
    expectRoundTrip(input);
    const moov = findBox(parseBoxes(input), 'moov') as Box;
    const hints = (moov.children ?? []).filter((trak) => {
      const entry = findBox([trak], 'trak/mdia/minf/stbl/stsd')?.children?.[0];
      return entry?.type === 'rtp ';
    });
    expect(hints).toHaveLength(2);
    const described = hints.map((trak) => {
      const entry = findBox([trak], 'trak/mdia/minf/stbl/stsd')?.children?.[0] as RtpHintSampleEntry;
      const sdp = findBox([trak], 'trak/udta/hnti/sdp ') as SdpBox;
      const tims = entry.children?.find((child) => child.type === 'tims') as RtpTimescaleBox | undefined;
      const timescale = tims?.timescale;
      return { entry, sdp: sdp.text, timescale };
    });
    for (const { entry } of described) {
      expect(entry).toMatchObject({
        hintTrackVersion: 1,
        highestCompatibleVersion: 1,
        dataReferenceIndex: 1,
      });
      expect(entry.maxPacketSize).toBeGreaterThan(1000);
    }
    const [video, audio] = described;
    expect(video?.timescale).toBe(90_000);
    expect(video?.sdp).toMatch(/^m=video 0 RTP\/AVP 96\r?\na=rtpmap:96 H264\/90000\r?\n/);
    expect(audio?.timescale).toBe(48_000);
    expect(audio?.sdp).toMatch(
      /^m=audio 0 RTP\/AVP 97\r?\n(?:b=AS:\d+\r?\n)?a=rtpmap:97 MPEG4-GENERIC\/48000\/1\r?\n/,
    );
  });

  it('the movie-level hnti/rtp : description format and SDP, its NUL and padding written back', () => {
    const sdp = [...new TextEncoder().encode('v=0\r\ns=rec\r\n')];
    const input = bytes(
      box('udta', box('hnti', box('rtp ', fourcc('sdp '), sdp, u8(0, 0, 0)))), // descriptionformat, sdptext, NUL + padding
    );
    expectRoundTrip(input);
    const rtp = findBox(parseBoxes(input), 'udta/hnti/rtp ') as RtpMovieHintInformationBox;
    expect(rtp).toMatchObject({ descriptionFormat: 'sdp ', text: 'v=0\r\ns=rec\r\n' });
    expect(rtp.textBytes).toEqual(new Uint8Array([...sdp, 0, 0, 0]));
    expect(rtp).not.toHaveProperty('dataReferenceIndex');
  });
});
