import { describe, expect, it } from 'vitest';
import { cpuTime } from './helpers/cpuTime.js';
import { mpdText, only, resolveText } from './helpers/resolve.js';

const AST = '1970-01-01T00:00:00Z';
/** A wall clock 1.7e9 s after AST, 0.5 s into a 2-second segment. */
const NOW = 1_700_000_001_500;

const live = (mpdAttributes: string, template: string, periodAttributes = 'start="PT0S"') =>
  mpdText(
    `<Period id="p" ${periodAttributes}><AdaptationSet mimeType="video/mp4">${template}
      <Representation id="v" bandwidth="1"/></AdaptationSet></Period>`,
    `type="dynamic" availabilityStartTime="${AST}" minimumUpdatePeriod="PT2S" ${mpdAttributes}`,
  );

const numbered = '<SegmentTemplate media="$Number$.m4s" duration="2" startNumber="1"/>';

describe('dynamic MPDs (ISO/IEC 23009-1 5.3.9.5.3)', () => {
  it('with AST in 1970 and no timeShiftBufferDepth lists the live edge only, at once', async () => {
    let v = only(resolveText(live('', numbered), { now: NOW }).representations, 'v');
    expect(
      await cpuTime(() => (v = only(resolveText(live('', numbered), { now: NOW }).representations, 'v'))),
    ).toBeLessThan(100);
    // 1 700 000 001.5 s after AST: segments of 2 s, the last complete one is
    // [1 699 999 998, 1 700 000 000) = index 849 999 999, number 850 000 000.
    expect(v.segments.map((s) => [s.number, s.start, s.end])).toEqual([
      [850_000_000, 1_699_999_998, 1_700_000_000],
    ]);
    expect(v.segments[0]?.url).toBe('https://cdn.example.com/vod/850000000.m4s');
  });

  it('lists the time-shift window: segments that ended at most timeShiftBufferDepth ago', () => {
    const v = only(
      resolveText(live('timeShiftBufferDepth="PT30S"', numbered), { now: NOW }).representations,
      'v',
    );
    // ends in [now - 30, now] = [1 699 999 971.5, 1 700 000 001.5]: 1 699 999 972 ... 1 700 000 000
    expect(v.segments).toHaveLength(15);
    expect(v.segments[0]?.end).toBe(1_699_999_972);
    expect(v.segments.at(-1)?.end).toBe(1_700_000_000);
    expect(v.segments.map((s) => s.number)).toEqual(Array.from({ length: 15 }, (_, i) => 849_999_986 + i));
  });

  it('takes the caller window when there is no timeShiftBufferDepth', () => {
    const v = only(resolveText(live('', numbered), { now: NOW, liveWindow: 10 }).representations, 'v');
    expect(v.segments.map((s) => s.end)).toEqual([
      1_699_999_992, 1_699_999_994, 1_699_999_996, 1_699_999_998, 1_700_000_000,
    ]);
  });

  it('counts the Period start and availabilityTimeOffset', () => {
    const template =
      '<SegmentTemplate media="$Number$.m4s" duration="2" startNumber="0" availabilityTimeOffset="1.5"/>';
    const v = only(
      resolveText(live('timeShiftBufferDepth="PT6S"', template, 'start="PT100S"'), { now: 100_000 + 11_000 })
        .representations,
      'v',
    );
    // 11 s into the Period; with 1.5 s early availability the segment [10, 12) is out already.
    expect(v.segments.map((s) => [s.number, s.start])).toEqual([
      [2, 104],
      [3, 106],
      [4, 108],
      [5, 110],
    ]);
  });

  it('lists nothing for a Period that has not started, nor for one that left the window', () => {
    const xml = mpdText(
      `<Period id="old" start="PT0S"><AdaptationSet mimeType="video/mp4">${numbered}<Representation id="old" bandwidth="1"/></AdaptationSet></Period>
       <Period id="now" start="PT100S"><AdaptationSet mimeType="video/mp4">${numbered}<Representation id="now" bandwidth="1"/></AdaptationSet></Period>
       <Period id="next" start="PT200S"><AdaptationSet mimeType="video/mp4">${numbered}<Representation id="next" bandwidth="1"/></AdaptationSet></Period>`,
      `type="dynamic" availabilityStartTime="${AST}" timeShiftBufferDepth="PT10S"`,
    );
    const { representations } = resolveText(xml, { now: 150_000 });
    expect(representations.map((r) => [r.id, r.segments.map((s) => s.start)])).toEqual([
      ['old', []],
      ['now', [138, 140, 142, 144, 146, 148]], // ended in [140, 150]
      ['next', []],
    ]);
    // A Period that ended before the window is past: nothing to warn about.
    expect(representations.flatMap((r) => r.warnings)).toEqual([]);
  });

  it('says so when every segment a running Period lists left the window (a saved copy of a live MPD)', () => {
    // 23009-1 Annex G.25's layout: a timeline published in 2021, 30 s of time-shift.
    const xml = mpdText(
      `<Period id="p" start="PT0S"><AdaptationSet mimeType="video/mp4">
         <SegmentTemplate media="$Time$.mp4" timescale="90000"><SegmentTimeline><S t="0" d="180180" r="13"/></SegmentTimeline></SegmentTemplate>
         <Representation id="v" bandwidth="1"/></AdaptationSet></Period>`,
      'type="dynamic" availabilityStartTime="2021-04-17T04:15:00Z" timeShiftBufferDepth="PT30S" minimumUpdatePeriod="PT2S"',
    );
    const published = Date.parse('2021-04-17T04:15:30Z');
    expect(only(resolveText(xml, { now: published }).representations, 'v').segments).toHaveLength(14);
    const later = only(resolveText(xml, { now: published + 86_400_000 * 3 }).representations, 'v');
    expect(later.segments).toEqual([]);
    expect(later.warnings).toEqual([
      {
        code: 'MPD_STALE_SEGMENTS',
        count: 1,
        message: expect.stringMatching(
          /Representation\[0\]: every listed segment ended before the time-shift window \(the newest 3 days before its start\): none is available now/,
        ),
      },
    ]);
    const minute = only(resolveText(xml, { now: published + 60_000 }).representations, 'v');
    expect(minute.warnings[0]?.message).toMatch(/the newest 31\.972 s before its start/);
  });

  it('lists every segment of a presentation that has ended, when there is no timeShiftBufferDepth', () => {
    // A live event over (now past AST + mediaPresentationDuration) still served as dynamic: no
    // timeShiftBufferDepth is an infinite one (Table 3), so all of it is available, as shaka lists it.
    const ended = (tsbd: string) =>
      mpdText(
        `<Period id="a" start="PT0S"><AdaptationSet mimeType="video/mp4">${numbered}<Representation id="a" bandwidth="1"/></AdaptationSet></Period>
         <Period id="b" start="PT10S"><AdaptationSet mimeType="video/mp4">${numbered}<Representation id="b" bandwidth="1"/></AdaptationSet></Period>`,
        `type="dynamic" availabilityStartTime="${AST}" mediaPresentationDuration="PT20S" ${tsbd}`,
      );
    const all = resolveText(ended(''), { now: 1_000_000 }).representations;
    expect(all.map((r) => [r.id, r.segments.map((s) => s.start)])).toEqual([
      ['a', [0, 2, 4, 6, 8]],
      ['b', [10, 12, 14, 16, 18]],
    ]);
    // With a window, what left it is gone (available until its end + timeShiftBufferDepth).
    const windowed = resolveText(ended('timeShiftBufferDepth="PT5S"'), { now: 24_000 }).representations;
    expect(windowed.map((r) => [r.id, r.segments.map((s) => s.start)])).toEqual([
      ['a', []],
      ['b', [18]],
    ]);
    // Still running: the live edge only, as before.
    const running = resolveText(ended(''), { now: 15_500 }).representations;
    expect(running.map((r) => [r.id, r.segments.map((s) => s.start)])).toEqual([
      ['a', []],
      ['b', [12]],
    ]);
  });
  it('keeps SegmentTimeline segments that are available, r="-1" repeating up to the live edge', () => {
    const template =
      '<SegmentTemplate media="$Time$.m4s" timescale="10"><SegmentTimeline><S t="0" d="20" r="2"/><S d="40" r="-1"/></SegmentTimeline></SegmentTemplate>';
    const v = only(
      resolveText(live('timeShiftBufferDepth="PT1H"', template), { now: 21_000 }).representations,
      'v',
    );
    // 0-2, 2-4, 4-6, then 4 s segments 6-10, 10-14, 14-18; 18-22 is not complete at 21 s.
    expect(v.segments.map((s) => [s.time, s.duration])).toEqual([
      [0n, 20],
      [20n, 20],
      [40n, 20],
      [60n, 40],
      [100n, 40],
      [140n, 40],
    ]);
  });

  it('caps a huge window at maxSegments, keeping the newest', () => {
    const v = only(
      resolveText(live('timeShiftBufferDepth="P3650D"', numbered), { now: NOW, maxSegments: 1000 })
        .representations,
      'v',
    );
    expect(v.segments).toHaveLength(1000);
    expect(v.segments.at(-1)?.number).toBe(850_000_000);
    expect(v.warnings.map((w) => w.code)).toEqual(['MPD_SEGMENTS_CAPPED']);
  });

  it('caps a static list of a century at maxSegments, keeping the first, in bounded time', async () => {
    const started = process.cpuUsage();
    const xml = mpdText(
      `<Period><AdaptationSet mimeType="video/mp4"><SegmentTemplate media="$Number$.m4s" duration="1"/>
        <Representation id="v" bandwidth="1"/></AdaptationSet></Period>`,
      'type="static" mediaPresentationDuration="P100Y"',
    );
    const v = only(resolveText(xml).representations, 'v');
    expect(v.segments).toHaveLength(100_000);
    expect(v.segments[0]?.number).toBe(1);
    expect(v.warnings.map((w) => w.code)).toEqual(['MPD_SEGMENTS_CAPPED']);
    // 100 000 segments: about 0.3 s of CPU here; the bound says it is not 3 billion.
    const { user, system } = process.cpuUsage(started);
    expect((user + system) / 1000).toBeLessThan(3000);
  });

  it('resolves a dynamic MPD without availabilityStartTime as a static one, with a warning', () => {
    const xml = mpdText(
      `<Period start="PT0S" duration="PT4S"><AdaptationSet mimeType="video/mp4">${numbered}<Representation id="v" bandwidth="1"/></AdaptationSet></Period>`,
      'type="dynamic"',
    );
    const { mpd, representations } = resolveText(xml, { now: NOW });
    expect(only(representations, 'v').segments.map((s) => s.number)).toEqual([1, 2]);
    expect(mpd.warnings.map((w) => w.code)).toEqual(['MPD_NO_AVAILABILITY_START']);
  });

  it('stays exact past 2^53 at a nanosecond timescale 60 years after availabilityStartTime', () => {
    const template = '<SegmentTemplate media="$Time$.m4s" timescale="1000000000" duration="2000000000"/>';
    const now = Date.UTC(2030, 0, 1); // 1 893 456 000 s after AST
    const v = only(resolveText(live('timeShiftBufferDepth="PT10S"', template), { now }).representations, 'v');
    // Ends in [now - 10 s, now]: 6 segments, the last [1 893 455 998, 1 893 456 000) s, index 946 727 999.
    expect(v.segments.map((s) => s.number)).toEqual([
      946727995, 946727996, 946727997, 946727998, 946727999, 946728000,
    ]);
    expect(v.segments.at(-1)?.time).toBe(1_893_455_998_000_000_000n);
    expect(v.segments.at(-1)?.url).toBe('https://cdn.example.com/vod/1893455998000000000.m4s');
  });

  it('counts availabilityTimeOffset on a SegmentTimeline too, at most one segment early', () => {
    const template = (offset: string) =>
      `<SegmentTemplate media="$Time$.m4s" timescale="1" availabilityTimeOffset="${offset}"><SegmentTimeline><S t="0" d="2" r="-1"/></SegmentTimeline></SegmentTemplate>`;
    const ends = (offset: string) =>
      only(
        resolveText(live('timeShiftBufferDepth="PT4S"', template(offset)), { now: 9_000 }).representations,
        'v',
      ).segments.map((s) => s.end);
    expect(ends('0')).toEqual([6, 8]); // 9 s: [6, 8) is the newest complete one
    expect(ends('1.5')).toEqual([6, 8, 10]); // [8, 10) is out 1.5 s before its end
    expect(ends('INF')).toEqual([6, 8, 10]); // INF: as soon as it starts, never a future segment
    expect(ends('3600')).toEqual([6, 8, 10]);
  });
});
