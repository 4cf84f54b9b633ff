import { type HttpTestServer, startHttpServer } from '@rec/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDashget } from './helpers/runDashget.js';

// A $Time$ timeline past 2^53 (exact only as a bigint) and a SegmentList of byte ranges in one file.
const mpd = `<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT8S">
  <Period id="p0">
    <AdaptationSet id="1" contentType="video" mimeType="video/mp4">
      <SegmentTemplate timescale="90000" presentationTimeOffset="9007199254740993" media="v/$Time$.m4s" initialization="v/init.mp4">
        <SegmentTimeline><S t="9007199254740993" d="360000" r="1"/></SegmentTimeline>
      </SegmentTemplate>
      <Representation id="v1" bandwidth="1000000" codecs="avc1.64001f" width="1280" height="720"/>
    </AdaptationSet>
    <AdaptationSet id="2" contentType="audio" mimeType="audio/mp4" lang="en">
      <Representation id="a1" bandwidth="128000" codecs="mp4a.40.2">
        <BaseURL>audio.mp4</BaseURL>
        <SegmentList timescale="48000" duration="192000">
          <Initialization range="0-799"/>
          <SegmentURL mediaRange="800-1999"/>
          <SegmentURL mediaRange="2000-2999"/>
        </SegmentList>
      </Representation>
    </AdaptationSet>
  </Period>
</MPD>
`;

let server: HttpTestServer;
beforeAll(async () => {
  server = await startHttpServer({
    files: {
      '/show/manifest.mpd': mpd,
      // go-dash's newperiod.mpd: Periods of AdaptationSets without a Representation.
      '/empty/manifest.mpd':
        '<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT6M16S"><Period><AdaptationSet mimeType="video/mp4"/></Period><Period duration="PT3M"/></MPD>',
    },
  });
});
afterAll(() => server?.stop());

describe('--dry-run --json', () => {
  it('prints the segment list in the shape of issue 11, field by field, and downloads nothing', async () => {
    const base = `${server.url}/show`;
    const run = await runDashget(`${base}/manifest.mpd`, '--dry-run', '--json', '-o', '/nonexistent/never');
    expect(run.code, run.stderr).toBe(0);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /show/manifest.mpd']);
    // `time` above 2^53 as a decimal string (JSON numbers would round it), `range` as "first-last".
    expect(run.stdout).toContain('"time": "9007199254740993"');
    expect(JSON.parse(run.stdout)).toEqual({
      manifest: `${base}/manifest.mpd`,
      type: 'static',
      periods: [
        {
          id: 'p0',
          start: 0,
          duration: 8,
          adaptationSets: [
            {
              id: '1',
              contentType: 'video',
              mimeType: 'video/mp4',
              lang: null,
              representations: [
                {
                  id: 'v1',
                  bandwidth: 1000000,
                  codecs: 'avc1.64001f',
                  width: 1280,
                  height: 720,
                  timescale: 90000,
                  init: { url: `${base}/v/init.mp4`, range: null },
                  segments: [
                    {
                      url: `${base}/v/9007199254740993.m4s`,
                      range: null,
                      number: 1,
                      time: '9007199254740993',
                      duration: 360000,
                      start: 0,
                      end: 4,
                    },
                    {
                      url: `${base}/v/9007199255100993.m4s`,
                      range: null,
                      number: 2,
                      time: '9007199255100993',
                      duration: 360000,
                      start: 4,
                      end: 8,
                    },
                  ],
                },
              ],
            },
            {
              id: '2',
              contentType: 'audio',
              mimeType: 'audio/mp4',
              lang: 'en',
              representations: [
                {
                  id: 'a1',
                  bandwidth: 128000,
                  codecs: 'mp4a.40.2',
                  width: null,
                  height: null,
                  timescale: 48000,
                  init: { url: `${base}/audio.mp4`, range: '0-799' },
                  segments: [
                    {
                      url: `${base}/audio.mp4`,
                      range: '800-1999',
                      number: 1,
                      time: 0,
                      duration: 192000,
                      start: 0,
                      end: 4,
                    },
                    {
                      url: `${base}/audio.mp4`,
                      range: '2000-2999',
                      number: 2,
                      time: 192000,
                      duration: 192000,
                      start: 4,
                      end: 8,
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
      warnings: [],
    });
  });

  it('--select keeps what the words say (here: audio only)', async () => {
    const run = await runDashget(
      `${server.url}/show/manifest.mpd`,
      '--dry-run',
      '--json',
      '--select',
      'audio',
    );
    expect(run.code, run.stderr).toBe(0);
    const sets = JSON.parse(run.stdout).periods[0].adaptationSets;
    expect(sets.map((set: { id: string }) => set.id)).toEqual(['2']);
    const bad = await runDashget(`${server.url}/show/manifest.mpd`, '--dry-run', '--select', 'bogus');
    expect(bad.code).toBe(2);
  });

  it('a selection that matches nothing, or a manifest without Representations, is exit 2 saying what there is (never an empty success)', async () => {
    const typo = await runDashget(`${server.url}/show/manifest.mpd`, '--dry-run', '--select', 'id:v2');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe(
      "dashget: the selection matches none of the manifest's 2 Representations (ids v1, a1; video, audio) [DASHGET_NOTHING_SELECTED]\n",
    );
    const text = await runDashget(
      `${server.url}/show/manifest.mpd`,
      '-o',
      '/nonexistent/never',
      '--select',
      'text',
    );
    expect(text.code).toBe(2);
    const empty = await runDashget(`${server.url}/empty/manifest.mpd`, '--dry-run', '--json');
    expect(empty.code).toBe(2);
    expect(JSON.parse(empty.stdout)).toEqual({
      ok: false,
      error: {
        code: 'DASHGET_NOTHING_SELECTED',
        message: 'the manifest lists no Representation: nothing to download',
      },
    });
  });
});
