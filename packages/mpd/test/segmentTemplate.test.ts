import { describe, expect, it } from 'vitest';
import { MpdError } from '../src/index.js';
import { cpuTime } from './helpers/cpuTime.js';
import { mpdText, only, resolveText, rows } from './helpers/resolve.js';

const B = 'https://cdn.example.com/vod';

/** One Period of `duration` with one video Representation `v` under `template`. */
const onePeriod = (duration: string, template: string, representation = '') =>
  mpdText(
    `<Period duration="${duration}"><AdaptationSet mimeType="video/mp4">${template}
      <Representation id="v" bandwidth="1000">${representation}</Representation></AdaptationSet></Period>`,
    `type="static" mediaPresentationDuration="${duration}"`,
  );

describe('SegmentTemplate@duration (ISO/IEC 23009-1 5.3.9.4)', () => {
  it('gives ceil(Period / @duration) segments from @startNumber 1, none missing at either end', () => {
    const { representations } = resolveText(
      onePeriod('PT10S', '<SegmentTemplate media="$RepresentationID$/$Number$.m4s" duration="2"/>'),
    );
    const v = only(representations, 'v');
    expect(v.timescale).toBe(1);
    expect(rows(v.segments)).toEqual([
      [`${B}/v/1.m4s`, null, 0n, 2],
      [`${B}/v/2.m4s`, null, 2n, 2],
      [`${B}/v/3.m4s`, null, 4n, 2],
      [`${B}/v/4.m4s`, null, 6n, 2],
      [`${B}/v/5.m4s`, null, 8n, 2],
    ]);
    expect(v.segments.map((s) => [s.number, s.start, s.end])).toEqual([
      [1, 0, 2],
      [2, 2, 4],
      [3, 4, 6],
      [4, 6, 8],
      [5, 8, 10],
    ]);
  });

  it('cuts the last segment at the Period end', () => {
    const v = only(
      resolveText(
        onePeriod(
          'PT9.5S',
          '<SegmentTemplate media="s$Number%03d$.m4s" timescale="1000" duration="2000" startNumber="0"/>',
        ),
      ).representations,
      'v',
    );
    expect(rows(v.segments)).toEqual([
      [`${B}/s000.m4s`, null, 0n, 2000],
      [`${B}/s001.m4s`, null, 2000n, 2000],
      [`${B}/s002.m4s`, null, 4000n, 2000],
      [`${B}/s003.m4s`, null, 6000n, 2000],
      [`${B}/s004.m4s`, null, 8000n, 1500],
    ]);
    expect(v.segments.at(-1)?.end).toBe(9.5);
  });

  it('stops at @endNumber', () => {
    const v = only(
      resolveText(
        onePeriod(
          'PT60S',
          '<SegmentTemplate media="$Number$.m4s" duration="2" startNumber="5" endNumber="7"/>',
        ),
      ).representations,
      'v',
    );
    expect(v.segments.map((s) => [s.number, s.url, s.start])).toEqual([
      [5, `${B}/5.m4s`, 0],
      [6, `${B}/6.m4s`, 2],
      [7, `${B}/7.m4s`, 4],
    ]);
  });

  it('counts @presentationTimeOffset into time, not into the presentation start; $Time$ as players fill it', () => {
    const v = only(
      resolveText(
        onePeriod(
          'PT6S',
          '<SegmentTemplate media="$Time$.m4s" timescale="90000" duration="180000" presentationTimeOffset="900000"/>',
        ),
      ).representations,
      'v',
    );
    // mpd-parser gives these negative start times; the spec puts the first at the Period start.
    expect(v.segments.map((s) => [s.url, s.time, s.start])).toEqual([
      [`${B}/0.m4s`, 900000n, 0],
      [`${B}/180000.m4s`, 1080000n, 2],
      [`${B}/360000.m4s`, 1260000n, 4],
    ]);
  });

  it('fills @initialization with $RepresentationID$ and $Bandwidth$', () => {
    const v = only(
      resolveText(
        onePeriod(
          'PT4S',
          '<SegmentTemplate initialization="init-$RepresentationID$-$Bandwidth$.mp4" media="$Number$.m4s" duration="2"/>',
        ),
      ).representations,
      'v',
    );
    expect(v.init).toEqual({ url: `${B}/init-v-1000.mp4` });
  });

  it('fills @index per segment like @media (the Index Segment of each Media Segment)', () => {
    const v = only(
      resolveText(
        onePeriod(
          'PT4S',
          '<SegmentTemplate media="$Number$.m4s" index="$RepresentationID$/$Number%03d$.sidx" duration="2"/>',
        ),
      ).representations,
      'v',
    );
    expect(v.segments.map((s) => [s.url, s.index])).toEqual([
      [`${B}/1.m4s`, { url: `${B}/v/001.sidx` }],
      [`${B}/2.m4s`, { url: `${B}/v/002.sidx` }],
    ]);
  });

  it('warns when @media names no $Number$ nor $Time$ for several segments: they would share one URL', () => {
    const v = only(
      resolveText(onePeriod('PT6S', '<SegmentTemplate media="seg.m4s" duration="2"/>')).representations,
      'v',
    );
    expect(v.segments.map((s) => s.url)).toEqual([`${B}/seg.m4s`, `${B}/seg.m4s`, `${B}/seg.m4s`]);
    expect(v.warnings.map((w) => w.message)).toEqual([
      'MPD/Period[0]/AdaptationSet[0]/SegmentTemplate[0]: @media "seg.m4s" has neither $Number$ nor $Time$: its 3 segments share one URL',
    ]);
  });

  it('is one segment lasting the Period with neither @duration nor a timeline', () => {
    const v = only(resolveText(onePeriod('PT7S', '<SegmentTemplate media="all.mp4"/>')).representations, 'v');
    expect(rows(v.segments)).toEqual([[`${B}/all.mp4`, null, 0n, 7]]);
  });

  it('refuses a SegmentTemplate without @media with an MpdError naming it', () => {
    expect(() => resolveText(onePeriod('PT4S', '<SegmentTemplate duration="2"/>'))).toThrow(
      'MPD/Period[0]/AdaptationSet[0]/SegmentTemplate[0]: SegmentTemplate has no @media',
    );
    expect(() => resolveText(onePeriod('PT4S', '<SegmentTemplate duration="x" media="a"/>'))).toThrowError(
      MpdError,
    );
  });
});

describe('SegmentTimeline (ISO/IEC 23009-1 5.3.9.6)', () => {
  const timeline = (s: string, attributes = 'timescale="1000"') =>
    `<SegmentTemplate media="$Time$.m4s" ${attributes}><SegmentTimeline>${s}</SegmentTimeline></SegmentTemplate>`;

  it('reads S@t, @d, @r', () => {
    const v = only(
      resolveText(
        onePeriod(
          'PT20S',
          timeline('<S t="1000" d="2000" r="2"/><S d="3000"/><S t="10000" d="2500" r="1"/>'),
        ),
      ).representations,
      'v',
    );
    expect(rows(v.segments)).toEqual([
      [`${B}/1000.m4s`, null, 1000n, 2000],
      [`${B}/3000.m4s`, null, 3000n, 2000],
      [`${B}/5000.m4s`, null, 5000n, 2000],
      [`${B}/7000.m4s`, null, 7000n, 3000],
      [`${B}/10000.m4s`, null, 10000n, 2500],
      [`${B}/12500.m4s`, null, 12500n, 2500],
    ]);
    expect(v.segments.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(v.warnings.map((w) => w.code)).toEqual([]);
  });

  it('repeats r="-1" until the next S@t', () => {
    const v = only(
      resolveText(onePeriod('PT20S', timeline('<S t="0" d="2000" r="-1"/><S t="9000" d="4000"/>')))
        .representations,
      'v',
    );
    // ceil(9000 / 2000) = 5 segments, the last one overlapping the next S (warned)
    expect(v.segments.map((s) => s.time)).toEqual([0n, 2000n, 4000n, 6000n, 8000n, 9000n]);
    expect(v.warnings.map((w) => w.code)).toEqual(['MPD_TIMELINE_GAP']);
  });

  it('repeats r="-1" on the last S until the end of the Period, not of the MPD', () => {
    const xml = mpdText(
      `<Period id="a" start="PT0S"><AdaptationSet mimeType="video/mp4">${timeline('<S t="0" d="2000" r="-1"/>')}
         <Representation id="v" bandwidth="1"/></AdaptationSet></Period>
       <Period id="b" start="PT10S"><AdaptationSet mimeType="video/mp4">${timeline('<S t="0" d="5000" r="-1"/>')}
         <Representation id="v" bandwidth="1"/></AdaptationSet></Period>`,
      'type="static" mediaPresentationDuration="PT30S"',
    );
    const { representations } = resolveText(xml);
    // mpd-parser fills the first Period to the end of the MPD (15 segments): 5.3.9.6 says the Period.
    expect(only(representations, 'v', 0).segments.map((s) => [s.time, s.start])).toEqual([
      [0n, 0],
      [2000n, 2],
      [4000n, 4],
      [6000n, 6],
      [8000n, 8],
    ]);
    expect(only(representations, 'v', 1).segments.map((s) => [s.time, s.start])).toEqual([
      [0n, 10],
      [5000n, 15],
      [10000n, 20],
      [15000n, 25],
    ]);
  });

  it('leaves out segments that start after the Period end', () => {
    const v = only(
      resolveText(onePeriod('PT10S', timeline('<S t="0" d="4000" r="9"/>'))).representations,
      'v',
    );
    expect(v.segments.map((s) => s.time)).toEqual([0n, 4000n, 8000n]);
  });

  it('keeps $Time$ and time exact above 2^53', () => {
    const t = 2n ** 60n + 7n;
    const v = only(
      resolveText(
        onePeriod(
          'PT4S',
          timeline(`<S t="${t}" d="90000" r="1"/>`, `timescale="90000" presentationTimeOffset="${t}"`),
        ),
      ).representations,
      'v',
    );
    expect(rows(v.segments)).toEqual([
      [`${B}/1152921504606846983.m4s`, null, 1152921504606846983n, 90000],
      [`${B}/1152921504606936983.m4s`, null, 1152921504606936983n, 90000],
    ]);
    expect(v.segments.map((s) => s.start)).toEqual([0, 1]);
  });

  it('numbers $Number$ from @startNumber across repeats', () => {
    const v = only(
      resolveText(
        onePeriod(
          'PT8S',
          '<SegmentTemplate media="n$Number$.m4s" startNumber="100" timescale="1"><SegmentTimeline><S d="2" r="3"/></SegmentTimeline></SegmentTemplate>',
        ),
      ).representations,
      'v',
    );
    expect(v.segments.map((s) => s.url)).toEqual([100, 101, 102, 103].map((n) => `${B}/n${n}.m4s`));
  });
});

describe('SegmentTimeline Pattern (ISO/IEC 23009-1 6th edition: S@p, S@pE)', () => {
  // Pattern 1 expands to 3, 3, 2 (P@r counts repeats, as S@r does).
  const pattern = '<Pattern id="1"><P d="3" r="1"/><P d="2"/></Pattern>';
  const timeline = (s: string, attributes = 'timescale="1"') =>
    `<SegmentTemplate media="$Number$-$Time$.m4s" ${attributes}><SegmentTimeline>${pattern}${s}</SegmentTimeline></SegmentTemplate>`;

  it('cycles the Pattern from @pE, @r counting segments, @d unused', () => {
    const v = only(
      resolveText(onePeriod('PT100S', timeline('<S t="10" d="0" r="4" p="1" pE="1"/><S d="5"/>')))
        .representations,
      'v',
    );
    expect(v.segments.map((s) => [s.url.slice(B.length + 1), s.time, s.duration])).toEqual([
      ['1-10.m4s', 10n, 3],
      ['2-13.m4s', 13n, 2],
      ['3-15.m4s', 15n, 3],
      ['4-18.m4s', 18n, 3],
      ['5-21.m4s', 21n, 2],
      ['6-23.m4s', 23n, 5],
    ]);
    expect(v.warnings).toEqual([]);
  });

  it('repeats r="-1" until the next S@t, and to the Period end on the last S', () => {
    const v = only(
      resolveText(onePeriod('PT30S', timeline('<S t="0" r="-1" p="1"/><S t="12" r="-1" p="1" pE="2"/>')))
        .representations,
      'v',
    );
    // 0 3 6 8 11 (11 + 3 overlaps 12: a segment that starts before the next S@t counts, as without a Pattern)
    expect(v.segments.map((s) => [s.time, s.duration])).toEqual([
      [0n, 3],
      [3n, 3],
      [6n, 2],
      [8n, 3],
      [11n, 3],
      [12n, 2],
      [14n, 3],
      [17n, 3],
      [20n, 2],
      [22n, 3],
      [25n, 3],
      [28n, 2],
    ]);
    expect(v.warnings.map((w) => w.code)).toEqual(['MPD_TIMELINE_GAP']);
  });

  it('lists a live window 56 years into a Pattern timeline at once, in phase (cycles counted, not listed)', async () => {
    const xml = mpdText(
      `<Period id="p" start="PT0S"><AdaptationSet mimeType="audio/mp4">
         <SegmentTemplate media="$Number$.m4s" timescale="48000"><SegmentTimeline>
           <Pattern id="7"><P d="96256" r="2"/><P d="95232"/></Pattern>
           <S t="0" r="-1" p="7"/></SegmentTimeline></SegmentTemplate>
         <Representation id="a" bandwidth="1"/></AdaptationSet></Period>`,
      'type="dynamic" availabilityStartTime="1970-01-01T00:00:00Z" timeShiftBufferDepth="PT10S" minimumUpdatePeriod="PT2S"',
    );
    const now = 1_770_000_000_000;
    let a = only(resolveText(xml, { now }).representations, 'a');
    expect(await cpuTime(() => (a = only(resolveText(xml, { now }).representations, 'a')))).toBeLessThan(100);
    // AAC at 48 kHz: 3 segments of 47 frames, one of 93 (384 000 samples = 8 s a cycle).
    const cycle = 384_000n;
    const nowTicks = BigInt(now / 1000) * 48_000n;
    for (const s of a.segments) {
      const phase = s.time % cycle;
      expect([0n, 96_256n, 192_512n, 288_768n]).toContain(phase);
      expect(s.duration).toBe(phase === 288_768n ? 95_232 : 96_256);
      const place = BigInt([0n, 96_256n, 192_512n, 288_768n].indexOf(phase));
      expect(s.number).toBe(Number((s.time / cycle) * 4n + place + 1n));
      expect(s.time + BigInt(s.duration)).toBeLessThanOrEqual(nowTicks);
      expect(s.time + BigInt(s.duration)).toBeGreaterThanOrEqual(nowTicks - 10n * 48_000n);
    }
    expect(a.segments.length).toBeGreaterThanOrEqual(4);
    expect(a.segments.length).toBeLessThanOrEqual(6);
  });

  it('skips an S whose @p names no Pattern, or whose @pE is past it, with a warning', () => {
    const { mpd, representations } = resolveText(
      onePeriod('PT20S', timeline('<S t="0" r="1" p="2"/><S t="4" r="1" p="1" pE="3"/><S t="8" d="2"/>')),
    );
    const v = only(representations, 'v');
    expect(v.segments.map((s) => s.time)).toEqual([8n]);
    expect([...mpd.warnings, ...v.warnings]).toEqual([
      {
        code: 'MPD_TIMELINE_ENTRY',
        count: 2,
        message: expect.stringMatching(
          /S\[0\]: @p 2 names no Pattern of its SegmentTimeline; the S was skipped/,
        ),
      },
    ]);
  });
});

describe('Segment Sequences: S@k, SegmentTemplate@k and $SubNumber$ (ISO/IEC 23009-1 5th edition)', () => {
  it('splits each S@d into k Segments sharing $Time$ and $Number$, $SubNumber$ from 0 (as dash.js, GPAC, livesim2)', () => {
    // The layout of 23009-1 Annex G.26 (L3D): 2-s sequences of 4 chunks, in a 4-s Period.
    const v = only(
      resolveText(
        onePeriod(
          'PT4S',
          `<SegmentTemplate media="$RepresentationID$/segment_$Number$_$Time$_part_$SubNumber%02d$.mp4" timescale="90000"
             startNumber="7" presentationTimeOffset="9000"><SegmentTimeline><S t="9000" d="180000" r="1" k="4"/></SegmentTimeline></SegmentTemplate>`,
        ),
      ).representations,
      'v',
    );
    expect(rows(v.segments)).toEqual([
      [`${B}/v/segment_7_9000_part_00.mp4`, null, 9000n, 45000],
      [`${B}/v/segment_7_9000_part_01.mp4`, null, 54000n, 45000],
      [`${B}/v/segment_7_9000_part_02.mp4`, null, 99000n, 45000],
      [`${B}/v/segment_7_9000_part_03.mp4`, null, 144000n, 45000],
      [`${B}/v/segment_8_189000_part_00.mp4`, null, 189000n, 45000],
      [`${B}/v/segment_8_189000_part_01.mp4`, null, 234000n, 45000],
      [`${B}/v/segment_8_189000_part_02.mp4`, null, 279000n, 45000],
      [`${B}/v/segment_8_189000_part_03.mp4`, null, 324000n, 45000],
    ]);
    expect(v.segments.map((s) => [s.number, s.subNumber, s.start, s.end])).toEqual([
      [7, 0, 0, 0.5],
      [7, 1, 0.5, 1],
      [7, 2, 1, 1.5],
      [7, 3, 1.5, 2],
      [8, 0, 2, 2.5],
      [8, 1, 2.5, 3],
      [8, 2, 3, 3.5],
      [8, 3, 3.5, 4],
    ]);
    expect(v.warnings).toEqual([]);
  });

  it('splits on whole ticks so the Segments add up to @d; an S without @k is one Segment', () => {
    const v = only(
      resolveText(
        onePeriod(
          'PT20S',
          `<SegmentTemplate media="$Time$-$SubNumber$.m4s" timescale="10"><SegmentTimeline>
             <S t="0" d="10" k="3"/><S d="20" k="1"/></SegmentTimeline></SegmentTemplate>`,
        ),
      ).representations,
      'v',
    );
    expect(rows(v.segments)).toEqual([
      [`${B}/0-0.m4s`, null, 0n, 3],
      [`${B}/0-1.m4s`, null, 3n, 3],
      [`${B}/0-2.m4s`, null, 6n, 4],
      [`${B}/10-0.m4s`, null, 10n, 20],
    ]);
  });

  it('takes SegmentTemplate@k for @duration templates, inherited, and cuts the Segments at the Period end', () => {
    const xml = mpdText(
      `<Period duration="PT5S"><AdaptationSet mimeType="video/mp4">
         <SegmentTemplate media="$Number$_$SubNumber$.m4s" duration="2" k="2"/>
         <Representation id="v" bandwidth="1"/></AdaptationSet></Period>`,
      'type="static" mediaPresentationDuration="PT5S"',
    );
    const v = only(resolveText(xml).representations, 'v');
    expect(v.segments.map((s) => [s.url.slice(B.length + 1), s.start, s.end])).toEqual([
      ['1_0.m4s', 0, 1],
      ['1_1.m4s', 1, 2],
      ['2_0.m4s', 2, 3],
      ['2_1.m4s', 3, 4],
      ['3_0.m4s', 4, 5],
    ]);
  });

  it('keeps a sequence whole when @media has no $SubNumber$, and warns when $SubNumber$ has no @k', () => {
    const whole = only(
      resolveText(onePeriod('PT4S', '<SegmentTemplate media="$Number$.m4s" duration="2" k="4"/>'))
        .representations,
      'v',
    );
    expect(whole.segments.map((s) => [s.url.slice(B.length + 1), s.duration, s.subNumber])).toEqual([
      ['1.m4s', 2, undefined],
      ['2.m4s', 2, undefined],
    ]);
    const unnumbered = only(
      resolveText(onePeriod('PT4S', '<SegmentTemplate media="$Number$_$SubNumber$.m4s" duration="2"/>'))
        .representations,
      'v',
    );
    expect(unnumbered.segments.map((s) => s.url.slice(B.length + 1))).toEqual([
      '1_$SubNumber$.m4s',
      '2_$SubNumber$.m4s',
    ]);
    expect(unnumbered.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/\$SubNumber\$ in @media, but no @k makes the segments Segment Sequences/),
    ]);
  });

  it('lists at most maxSegments of them, counted before any is made: k="4000000000" costs nothing', () => {
    const xml = onePeriod(
      'PT10S',
      '<SegmentTemplate media="$Time$_$SubNumber$.m4s" timescale="4000000000"><SegmentTimeline><S t="0" d="40000000000" k="4000000000"/></SegmentTimeline></SegmentTemplate>',
    );
    const v = only(resolveText(xml, { maxSegments: 3 }).representations, 'v');
    expect(v.segments.map((s) => [s.url.slice(B.length + 1), s.time, s.duration])).toEqual([
      ['0_0.m4s', 0n, 10],
      ['0_1.m4s', 10n, 10],
      ['0_2.m4s', 20n, 10],
    ]);
    expect(v.warnings.map((w) => w.code)).toEqual(['MPD_SEGMENTS_CAPPED']);
  });

  it('lists the newest Segments of a live sequence timeline, whole sequences only (G.26 at its own publishTime)', () => {
    const xml = mpdText(
      `<Period id="p" start="PT0S"><AdaptationSet mimeType="video/mp4">
         <SegmentTemplate media="s_$Number$_part_$SubNumber$.mp4" timescale="90000" startNumber="1">
           <SegmentTimeline><S t="0" d="180000" r="-1" k="16"/></SegmentTimeline></SegmentTemplate>
         <Representation id="v" bandwidth="1"/></AdaptationSet></Period>`,
      'type="dynamic" availabilityStartTime="2026-01-01T00:00:00Z" timeShiftBufferDepth="PT4S" minimumUpdatePeriod="PT2S"',
    );
    const now = Date.parse('2026-01-01T00:00:09Z');
    const v = only(resolveText(xml, { now }).representations, 'v');
    // Sequences [4, 6) and [6, 8) are out at 9 s ([8, 10) is not finished): 32 Segments.
    expect(v.segments).toHaveLength(32);
    expect(v.segments[0]).toMatchObject({ url: `${B}/s_3_part_0.mp4`, start: 4, number: 3, subNumber: 0 });
    expect(v.segments.at(-1)).toMatchObject({
      url: `${B}/s_4_part_15.mp4`,
      end: 8,
      number: 4,
      subNumber: 15,
    });
  });
});

describe('inheritance Period -> AdaptationSet -> Representation', () => {
  it('takes each SegmentTemplate attribute from the nearest level that has it', () => {
    const xml = mpdText(
      `<Period duration="PT6S">
        <SegmentTemplate timescale="1000" duration="2000" initialization="$RepresentationID$/init.mp4"/>
        <AdaptationSet mimeType="video/mp4">
          <SegmentTemplate media="video/$RepresentationID$/$Number$.m4s" startNumber="10"/>
          <Representation id="a" bandwidth="1"/>
          <Representation id="b" bandwidth="2"><SegmentTemplate startNumber="0" duration="3000"/></Representation>
        </AdaptationSet>
      </Period>`,
    );
    const { representations } = resolveText(xml);
    const a = only(representations, 'a');
    expect(a.init?.url).toBe(`${B}/a/init.mp4`);
    expect(a.segments.map((s) => [s.url, s.duration])).toEqual([
      [`${B}/video/a/10.m4s`, 2000],
      [`${B}/video/a/11.m4s`, 2000],
      [`${B}/video/a/12.m4s`, 2000],
    ]);
    const b = only(representations, 'b');
    expect(b.init?.url).toBe(`${B}/b/init.mp4`);
    expect(b.segments.map((s) => [s.url, s.duration])).toEqual([
      [`${B}/video/b/0.m4s`, 3000],
      [`${B}/video/b/1.m4s`, 3000],
    ]);
  });

  it('inherits a SegmentTimeline, the nearest one only (mpd-parser concatenates them)', () => {
    const xml = mpdText(
      `<Period duration="PT10S"><AdaptationSet mimeType="video/mp4">
        <SegmentTemplate media="$Time$" timescale="1"><SegmentTimeline><S t="0" d="5" r="1"/></SegmentTimeline></SegmentTemplate>
        <Representation id="a" bandwidth="1"/>
        <Representation id="b" bandwidth="1"><SegmentTemplate><SegmentTimeline><S t="0" d="2" r="4"/></SegmentTimeline></SegmentTemplate></Representation>
      </AdaptationSet></Period>`,
    );
    const { representations } = resolveText(xml);
    expect(only(representations, 'a').segments.map((s) => s.time)).toEqual([0n, 5n]);
    expect(only(representations, 'b').segments.map((s) => s.time)).toEqual([0n, 2n, 4n, 6n, 8n]);
  });

  it('resolves BaseURL at every level, relative and absolute, with the other BaseURLs as fallbacks', () => {
    const xml = mpdText(
      `<BaseURL>https://origin.example.net/root/</BaseURL>
       <BaseURL>https://backup.example.org/root/</BaseURL>
       <Period duration="PT2S"><BaseURL>p1/</BaseURL>
        <AdaptationSet mimeType="video/mp4"><BaseURL>../video/</BaseURL>
          <SegmentTemplate media="$Number$.m4s" duration="2"/>
          <Representation id="rel" bandwidth="1"><BaseURL>720p/</BaseURL></Representation>
          <Representation id="abs" bandwidth="1"><BaseURL>https://other.example.com/x/</BaseURL></Representation>
          <Representation id="root" bandwidth="1"><BaseURL>/top/</BaseURL></Representation>
        </AdaptationSet></Period>`,
    );
    const { representations } = resolveText(xml);
    expect(only(representations, 'rel').segments[0]).toMatchObject({
      url: 'https://origin.example.net/root/video/720p/1.m4s',
      fallbackUrls: ['https://backup.example.org/root/video/720p/1.m4s'],
    });
    expect(only(representations, 'abs').segments[0]?.url).toBe('https://other.example.com/x/1.m4s');
    expect(only(representations, 'abs').segments[0]?.fallbackUrls).toBeUndefined();
    expect(only(representations, 'root').segments[0]).toMatchObject({
      url: 'https://origin.example.net/top/1.m4s',
      fallbackUrls: ['https://backup.example.org/top/1.m4s'],
    });
  });

  it('tries BaseURLs in DVB-DASH order: lowest @dvb:priority, then highest @dvb:weight, then as written', () => {
    // ETSI TS 103 285 10.8.2.1, as the BBC's and DVB's test streams write them.
    const xml = mpdText(
      `<BaseURL dvb:priority="2" dvb:weight="1" serviceLocation="c">https://c.example.com/</BaseURL>
       <BaseURL dvb:priority="1" dvb:weight="1" serviceLocation="b">https://b.example.com/</BaseURL>
       <BaseURL dvb:priority="1" dvb:weight="3" serviceLocation="a">https://a.example.com/</BaseURL>
       <BaseURL>https://d.example.com/</BaseURL>
       <Period duration="PT2S"><AdaptationSet mimeType="video/mp4">
         <SegmentTemplate media="$Number$.m4s" duration="2"/><Representation id="v" bandwidth="1"/>
       </AdaptationSet></Period>`,
      'type="static" xmlns:dvb="urn:dvb:dash:dash-extensions:2014-1"',
    );
    const [segment] = only(resolveText(xml).representations, 'v').segments;
    expect([segment?.url, ...(segment?.fallbackUrls ?? [])]).toEqual([
      'https://a.example.com/1.m4s',
      'https://b.example.com/1.m4s',
      'https://d.example.com/1.m4s',
      'https://c.example.com/1.m4s',
    ]);
  });
});

describe('several Periods (ISO/IEC 23009-1 5.3.2.1)', () => {
  it('start at the previous start + @duration when @start is absent, and last until the next start', () => {
    const period = (attributes: string) =>
      `<Period ${attributes}><AdaptationSet mimeType="audio/mp4"><SegmentTemplate media="$Number$" duration="4"/>
        <Representation id="a" bandwidth="1"/></AdaptationSet></Period>`;
    const { mpd, representations } = resolveText(
      mpdText(
        [
          period('id="1" duration="PT8S"'),
          period('id="2" duration="PT6S"'),
          period('id="3" start="PT20S"'),
        ].join(''),
        'type="static" mediaPresentationDuration="PT30S"',
      ),
    );
    expect(mpd.periods.map((p) => [p.id, p.start, p.duration])).toEqual([
      ['1', 0, 8],
      ['2', 8, 12], // the next @start (20 s) wins over @duration (6 s), with a warning
      ['3', 20, 10],
    ]);
    expect(mpd.warnings.map((w) => w.code)).toEqual(['MPD_PERIOD_GAP']);
    expect(representations.map((r) => [r.period, r.segments.map((s) => s.start)])).toEqual([
      [0, [0, 4]],
      [1, [8, 12, 16]],
      [2, [20, 24, 28]],
    ]);
  });

  it('say so when the last Period starts at or after the end of the presentation', () => {
    const { mpd, representations } = resolveText(
      mpdText(
        `<Period id="main" start="PT0S"><AdaptationSet mimeType="audio/mp4"><SegmentTemplate media="$Number$" duration="4"/>
           <Representation id="a" bandwidth="1"/></AdaptationSet></Period>
         <Period id="late" start="PT12S"><AdaptationSet mimeType="audio/mp4"><SegmentTemplate media="$Number$" duration="4"/>
           <Representation id="a" bandwidth="1"/></AdaptationSet></Period>`,
        'type="static" mediaPresentationDuration="PT10S"',
      ),
    );
    expect(mpd.periods.map((p) => [p.id, p.start, p.duration])).toEqual([
      ['main', 0, 12],
      ['late', 12, 0],
    ]);
    expect(representations.map((r) => r.segments.length)).toEqual([3, 0]);
    expect(mpd.warnings).toEqual([
      {
        code: 'MPD_PERIOD_GAP',
        count: 1,
        message:
          'MPD/Period[1]: starts at 12 s, not before the end of the presentation (mediaPresentationDuration 10 s): no segments',
      },
    ]);
  });
});
