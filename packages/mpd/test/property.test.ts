import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fcParameters } from '@rec/test-support';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MpdError, parseMpd, resolveMpd } from '../src/index.js';
import { cpuTime } from './helpers/cpuTime.js';
import { MANIFEST_URL, mpdText } from './helpers/resolve.js';

const CORPUS = join(import.meta.dirname, '../../../../shared/fixtures/mpd-corpus');
const seeds = [
  'zencoder+go-dash/mpd/fixtures/segment_timeline_multi_period.mpd',
  'zencoder+go-dash/mpd/fixtures/truncate.mpd',
  'videojs+mpd-parser/test/manifests/segmentList.mpd',
  'emarsden+dash-mpd-rs/tests/fixtures/f64-inf.mpd',
  'shaka-project+shaka-player/test/test/assets/dash-clearkey/dash.mpd',
  'Dash-Industry-Forum+livesim2/pkg/patch/testdata/multiperiod_1.mpd',
  'zencoder+go-dash/mpd/fixtures/ondemand_profile.mpd',
].map((file) => readFileSync(join(CORPUS, file), 'utf8'));

/** Text that breaks things when it lands in an MPD. */
const nasty = fc.constantFrom(
  '<',
  '>',
  '&',
  '&amp;',
  '&#0;',
  '&lol;',
  '"',
  "'",
  '$',
  '$Number%099d$',
  '$Time$',
  '-1',
  '0',
  '99999999999999999999999',
  '1e308',
  'NaN',
  'INF',
  'P100Y',
  'PT0S',
  '-PT5S',
  ' r="-1"',
  ' r="1000000000000"',
  ' t="18446744073709551615"',
  ' d="0"',
  ' timescale="0"',
  ' startNumber="-5"',
  ' availabilityStartTime="1970-01-01T00:00:00Z"',
  ' type="dynamic"',
  '<S d="1" r="-1"/>',
  '<Period/>',
  '<![CDATA[x]]>',
  '<!-- -->',
  '<!DOCTYPE MPD [<!ENTITY a "aaaa">]>',
  'xmlns:q="urn:q"',
  'q:x="1"',
  '../../..',
  'file:///etc/passwd',
);

/** Attribute values that break things. */
const nastyValue = fc.constantFrom(
  '',
  '-1',
  '0',
  '99999999999999999999999',
  '18446744073709551615',
  '1e308',
  'NaN',
  'INF',
  'P100Y',
  'PT0S',
  '-PT5S',
  'dynamic',
  '1970-01-01T00:00:00Z',
  '$Number%099d$',
  '$Time$/$$/$x',
  '&amp;&#0;',
  '../../../x',
  'file:///etc/passwd',
);

/** One edit: an attribute value replaced, a digit changed, or a slice deleted, inserted or duplicated. */
const edit = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('value' as const), nth: fc.nat(), value: nastyValue }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('digit' as const),
      at: fc.nat(),
      digit: fc.integer({ min: 0, max: 9 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.oneof(nasty, fc.string({ maxLength: 8 })),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicate' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 200 }),
    }),
  },
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function apply(text: string, edits: Edit[]): string {
  let out = text;
  for (const change of edits) {
    const at = 'at' in change ? change.at % (out.length + 1) : 0;
    if (change.kind === 'value') {
      const values = [...out.matchAll(/="[^"]*"/g)];
      const target = values[change.nth % Math.max(1, values.length)];
      if (target)
        out = `${out.slice(0, target.index + 2)}${change.value}${out.slice(target.index + target[0].length - 1)}`;
    } else if (change.kind === 'delete') out = out.slice(0, at) + out.slice(at + change.length);
    else if (change.kind === 'insert') out = out.slice(0, at) + change.text + out.slice(at);
    else if (change.kind === 'duplicate')
      out = out.slice(0, at) + out.slice(at, at + change.length) + out.slice(at);
    else {
      // Replace the next digit: numbers change, structure stays.
      const next = out.slice(at).search(/\d/);
      if (next >= 0) out = out.slice(0, at + next) + change.digit + out.slice(at + next + 1);
    }
  }
  return out;
}

const tally = { parsed: 0, unparsed: 0 };
/** Parses and resolves `text` (now and in 2100): only MpdErrors may come out, with bounded results. */
async function survives(text: string): Promise<void> {
  let mpd: ReturnType<typeof parseMpd>;
  try {
    mpd = parseMpd(text, { url: MANIFEST_URL });
  } catch (error) {
    if (!(error instanceof MpdError)) throw error;
    tally.unparsed++;
    return;
  }
  tally.parsed++;
  for (const now of [Date.now(), Date.UTC(2100, 0, 1)]) {
    try {
      const resolved = await resolveMpd(mpd, { now, maxSegments: 5000 });
      for (const period of resolved.periods) {
        for (const set of period.adaptationSets) {
          for (const representation of set.representations) {
            expect(representation.segments.length).toBeLessThanOrEqual(5000);
            for (const segment of representation.segments) {
              expect(Number.isFinite(segment.start) && Number.isFinite(segment.end)).toBe(true);
            }
          }
        }
      }
    } catch (error) {
      if (!(error instanceof MpdError)) throw error;
    }
  }
}

describe('mutated MPD text', () => {
  it('never throws anything but an MpdError, and stays bounded in time and size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...seeds),
        fc.array(edit, { minLength: 1, maxLength: 6 }),
        async (seed, edits) => {
          const text = apply(seed, edits);
          expect(await cpuTime(() => survives(text))).toBeLessThan(2000);
        },
      ),
      fcParameters(300),
    );
    // Many mutants must still parse (about 40% do), or the property would only test the checks.
    expect(tally.parsed / (tally.parsed + tally.unparsed)).toBeGreaterThan(0.2);
  });

  it('holds for SegmentTemplate and SegmentTimeline attributes drawn from their edges', async () => {
    const value = fc.oneof(
      fc.constantFrom(
        '',
        '0',
        '1',
        '-1',
        '2',
        '1000',
        '4294967296',
        '9007199254740993',
        '1e3',
        'x',
        '2.5',
        '+7',
      ),
      fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String),
    );
    const duration = fc.constantFrom(
      'PT0S',
      'PT2S',
      'PT1.5S',
      'P1D',
      'P100Y',
      'P99999999999999Y',
      'PT',
      '-PT1S',
      'P1M',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          type: fc.constantFrom('static', 'dynamic'),
          presentation: duration,
          tsbd: fc.option(duration),
          timescale: value,
          segmentDuration: value,
          startNumber: value,
          endNumber: fc.option(value),
          pto: value,
          s: fc.array(fc.record({ t: fc.option(value), d: value, r: fc.option(value) }), { maxLength: 4 }),
          useTimeline: fc.boolean(),
          media: fc.constantFrom('$Number$.m4s', '$Time%020d$.m4s', '$Number%08x$', 'x$$y', '$Bad$'),
        }),
        async (a) => {
          const attribute = (name: string, v: string | null) => (v === null ? '' : ` ${name}="${v}"`);
          const timeline = a.useTimeline
            ? `<SegmentTimeline>${a.s.map((s) => `<S${attribute('t', s.t)}${attribute('d', s.d)}${attribute('r', s.r)}/>`).join('')}</SegmentTimeline>`
            : '';
          const xml = mpdText(
            `<Period start="PT0S"><AdaptationSet mimeType="video/mp4">
              <SegmentTemplate media="${a.media}" initialization="init.mp4"${attribute('timescale', a.timescale)}${attribute('duration', a.segmentDuration)}${attribute('startNumber', a.startNumber)}${attribute('endNumber', a.endNumber)}${attribute('presentationTimeOffset', a.pto)}>${timeline}</SegmentTemplate>
              <Representation id="v" bandwidth="1"/></AdaptationSet></Period>`,
            `type="${a.type}" availabilityStartTime="1970-01-01T00:00:00Z" mediaPresentationDuration="${a.presentation}"${attribute('timeShiftBufferDepth', a.tsbd)}`,
          );
          expect(await cpuTime(() => survives(xml))).toBeLessThan(2000);
        },
      ),
      fcParameters(300),
    );
  });
});
