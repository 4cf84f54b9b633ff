import { parseMpd, resolveMpd } from '@rec/mpd';
import { describe, expect, it } from 'vitest';
import { type RecordedTrack, staticMpdText, xsDuration } from '../src/live/staticMpd.js';

/** A live MPD as packagers write them: a Period that started at 100 s, CENC, a `$Time$` timeline. */
const source = parseMpd(
  `<?xml version="1.0"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" xmlns:cenc="urn:mpeg:cenc:2013" type="dynamic"
  availabilityStartTime="2025-01-01T00:00:00Z" minimumUpdatePeriod="PT2S" minBufferTime="PT4S">
  <Period id="live-1" start="PT100S">
    <AdaptationSet id="v" contentType="video" mimeType="video/mp4" codecs="avc1.64001f">
      <ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc"
        cenc:default_KID="10000000-1000-1000-1000-100000000001"/>
      <ContentProtection schemeIdUri="urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed">
        <cenc:pssh>AAAAMnBzc2gAAAAA7e+LqXnWSs6jyCfc1R0h7QAAABIiCjEyMzQ1Njc4OTBI49yVmwY=</cenc:pssh>
      </ContentProtection>
      <Role schemeIdUri="urn:mpeg:dash:role:2011" value="main"/>
      <SegmentTemplate timescale="90000" presentationTimeOffset="900000"
        initialization="$RepresentationID$/init.mp4" media="$RepresentationID$/$Time$.m4s"/>
      <Representation id="hd &amp; more" bandwidth="3000000" width="1280" height="720"/>
    </AdaptationSet>
  </Period>
</MPD>`,
  { url: 'https://cdn.example.com/live/x.mpd' },
);

const period = source.periods[0]!;
const adaptationSet = period.adaptationSets[0]!;
const representation = adaptationSet.representations[0]!;
const timescale = 90_000;
const pto = 900_000n;

/** Segments of 2 s (180 000 ticks) from media time `t`, at their place on the source timeline. */
function segment(t: bigint, duration = 180_000) {
  const start = 100 + Number(t - pto) / timescale;
  return { time: t, duration, start, end: start + duration / timescale, path: `hd%20%26%20more/${t}.m4s` };
}

const track = (segments: ReturnType<typeof segment>[]): RecordedTrack => ({
  periodKey: 'live-1',
  adaptationSetKey: 'v',
  period,
  adaptationSet,
  representation,
  timescale,
  presentationTimeOffset: pto,
  init: 'hd%20%26%20more/init.mp4',
  segments,
});

describe('staticMpdText (the MPD a live recording leaves)', () => {
  // 10 s into the Period: 1 800 000 ticks after the presentationTimeOffset.
  const t0 = pto + 1_800_000n;
  const recorded = [
    segment(t0),
    segment(t0 + 180_000n),
    segment(t0 + 360_000n),
    segment(t0 + 720_000n, 90_000),
  ];
  const { text, duration } = staticMpdText(source, [track(recorded)]);
  const mpd = parseMpd(text, { url: 'file:///recordings/live/x.mpd' });

  it('is static, starts at the first recorded segment and lasts to the last one', () => {
    expect(mpd.type).toBe('static');
    expect(mpd.availabilityStartTime).toBeNull();
    expect(mpd.warnings).toEqual([]);
    // [110, 116) and [118, 119): 9 s from the first start to the last end.
    expect(duration).toBe(9);
    expect(mpd.mediaPresentationDuration).toBe(9);
    expect(text).toContain('mediaPresentationDuration="PT9S"');
    expect(mpd.periods.map((p) => [p.id, p.start])).toEqual([['live-1', 0]]);
  });

  it('names each file and keeps its media time, a gap as an S@t, runs as S@r', async () => {
    const { periods } = await resolveMpd(mpd);
    const rep = periods[0]!.adaptationSets[0]!.representations[0]!;
    expect(rep.init?.url).toBe('file:///recordings/live/hd%20%26%20more/init.mp4');
    expect(
      rep.segments.map((s) => [s.url.replace('file:///recordings/live/', ''), s.time, s.start, s.end]),
    ).toEqual([
      [`hd%20%26%20more/${t0}.m4s`, t0, 0, 2],
      [`hd%20%26%20more/${t0 + 180_000n}.m4s`, t0 + 180_000n, 2, 4],
      [`hd%20%26%20more/${t0 + 360_000n}.m4s`, t0 + 360_000n, 4, 6],
      // The segment [6, 8) was not recorded: the hole stays.
      [`hd%20%26%20more/${t0 + 720_000n}.m4s`, t0 + 720_000n, 8, 9],
    ]);
    expect(text).toContain(`<S t="${t0}" d="180000" r="2"/>`);
    expect(text).toContain(`<S t="${t0 + 720_000n}" d="90000"/>`);
    expect(text).toContain(`presentationTimeOffset="${t0}"`);
  });

  it('keeps the descriptors and attributes of the source, namespaces included', () => {
    const set = mpd.periods[0]!.adaptationSets[0]!;
    expect(set.contentProtection.map((cp) => [cp.schemeIdUri, cp.defaultKid, cp.pssh.length])).toEqual([
      ['urn:mpeg:dash:mp4protection:2011', '10000000-1000-1000-1000-100000000001', 0],
      ['urn:uuid:edef8ba9-79d6-4ace-a3c8-27dcd51d21ed', null, 1],
    ]);
    expect(set.roles.map((role) => role.value)).toEqual(['main']);
    const rep = set.representations[0]!;
    expect([rep.id, rep.bandwidth, rep.width, rep.height, rep.mimeType, rep.codecs]).toEqual([
      'hd & more',
      3_000_000,
      1280,
      720,
      'video/mp4',
      'avc1.64001f',
    ]);
    // Only the recording's own addressing: no template, no BaseURL.
    expect(text).not.toContain('SegmentTemplate');
    expect(text).not.toContain('BaseURL');
  });

  it('keeps Representations in place against each other: audio that starts later still does', async () => {
    const later = { ...track([segment(t0 + 9000n)]), adaptationSetKey: 'a' };
    const both = parseMpd(staticMpdText(source, [track([segment(t0)]), later]).text, {
      url: 'file:///r/x.mpd',
    });
    const { periods } = await resolveMpd(both);
    expect(periods[0]!.adaptationSets.map((set) => set.representations[0]!.segments[0]!.start)).toEqual([
      0, 0.1,
    ]);
  });

  it('writes durations as xs:duration to the millisecond', () => {
    expect([xsDuration(10), xsDuration(10.0107), xsDuration(0.0004), xsDuration(-1)]).toEqual([
      'PT10S',
      'PT10.011S',
      'PT0S',
      'PT0S',
    ]);
  });
});
