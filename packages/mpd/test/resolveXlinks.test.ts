/**
 * Remote elements (ISO/IEC 23009-1 5.5): `resolveXlinks` splices what a
 * remote entity holds in place of the element that links to it, the
 * layout of Annex G.11 (a Period whose content is fetched), with the
 * loader a map of URLs as a caller's HTTP client would serve them.
 */
import { describe, expect, it } from 'vitest';
import { parseMpd, resolveMpd, resolveXlinks } from '../src/index.js';
import { MANIFEST_URL, mpdText } from './helpers/resolve.js';

const B = 'https://cdn.example.com/vod';

const period = (id: string, attributes: string, media: string) =>
  `<Period id="${id}" ${attributes}><AdaptationSet mimeType="video/mp4">
     <SegmentTemplate media="${media}-$Number$.m4s" duration="2"/><Representation id="${id}v" bandwidth="1"/>
   </AdaptationSet></Period>`;

function loader(entities: Record<string, string>) {
  const asked: string[] = [];
  const load = async (url: string) => {
    asked.push(url);
    const body = entities[url];
    if (body === undefined) throw new Error('HTTP 404');
    return body;
  };
  return { asked, load };
}

describe('resolveXlinks (ISO/IEC 23009-1 5.5)', () => {
  it('splices the remote Periods of G.11 in place, an empty entity removes, resolve-to-zero too', async () => {
    const xml = mpdText(
      `${period('main', 'start="PT0S"', 'main')}
       <Period xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="ads/break.period.xml" xlink:actuate="onRequest"/>
       <Period xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="urn:mpeg:dash:resolve-to-zero:2013"/>
       <Period xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="${B}/empty.xml" xlink:actuate="onLoad"/>`,
      'type="static" mediaPresentationDuration="PT12S"',
    );
    const mpd = parseMpd(xml, { url: MANIFEST_URL });
    const { asked, load } = loader({
      [`${B}/ads/break.period.xml`]: `<?xml version="1.0" encoding="UTF-8"?>
        ${period('ad1', 'start="PT4S"', 'ad1').replace('<Period', '<Period xmlns="urn:mpeg:dash:schema:mpd:2011"')}
        ${period('ad2', 'start="PT6S"', 'ad2')}`,
      [`${B}/empty.xml`]: '',
    });
    const linked = await resolveXlinks(mpd, { load });
    expect(asked).toEqual([`${B}/ads/break.period.xml`, `${B}/empty.xml`]);
    expect(linked.periods.map((p) => [p.id, p.start, p.duration])).toEqual([
      ['main', 0, 4],
      ['ad1', 4, 2],
      ['ad2', 6, 6],
    ]);
    // Paths as if the manifest had been written that way.
    expect(linked.periods.map((p) => p.element.path)).toEqual([
      'MPD/Period[0]',
      'MPD/Period[1]',
      'MPD/Period[2]',
    ]);
    expect(linked.warnings).toEqual([]);
    const resolved = await resolveMpd(linked);
    expect(
      resolved.periods.map((p) =>
        p.adaptationSets[0]?.representations[0]?.segments.map((s) => s.url.slice(B.length + 1)),
      ),
    ).toEqual([['main-1.m4s', 'main-2.m4s'], ['ad1-1.m4s'], ['ad2-1.m4s', 'ad2-2.m4s', 'ad2-3.m4s']]);
  });

  it('follows a link inside a remote entity, with prefixes the MPD root declares', async () => {
    const xml = mpdText(
      `<Period id="p" start="PT0S" duration="PT4S">
         <AdaptationSet xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="sets.xml"/></Period>`,
      'type="static" xmlns:cenc="urn:mpeg:cenc:2013" xmlns:xlink="http://www.w3.org/1999/xlink"',
    );
    const set = (id: string) =>
      `<AdaptationSet id="${id}" mimeType="audio/mp4"><ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc" cenc:default_KID="10000000-1000-1000-1000-100000000001"/>
         <SegmentTemplate media="${id}-$Number$.m4s" duration="2"/><Representation id="${id}" bandwidth="1"/></AdaptationSet>`;
    const { load } = loader({
      [`${B}/sets.xml`]: `${set('en')}<AdaptationSet xlink:href="more.xml"/>`,
      [`${B}/more.xml`]: set('fr'),
    });
    const linked = await resolveXlinks(parseMpd(xml, { url: MANIFEST_URL }), { load });
    const sets = linked.periods[0]?.adaptationSets ?? [];
    expect(sets.map((s) => s.id)).toEqual(['en', 'fr']);
    expect(sets[1]?.representations[0]?.contentProtection[0]?.defaultKid).toBe(
      '10000000-1000-1000-1000-100000000001',
    );
    expect(linked.warnings.map((w) => w.code)).toEqual([]);
  });

  it('keeps an element whose entity cannot be fetched or read, saying why; returns the MPD itself when nothing links', async () => {
    const xml = mpdText(
      `${period('main', 'start="PT0S" duration="PT4S"', 'main')}
       <Period xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="gone.xml" id="fallback" duration="PT2S"/>
       <Period xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="broken.xml" id="broken"/>`,
      'type="static"',
    );
    const { load } = loader({ [`${B}/broken.xml`]: '<Period id="x">' });
    const linked = await resolveXlinks(parseMpd(xml, { url: MANIFEST_URL }), { load });
    expect(linked.periods.map((p) => p.id)).toEqual(['main', 'fallback', 'broken']);
    expect(linked.warnings).toEqual([
      {
        code: 'MPD_XLINK_NOT_RESOLVED',
        count: 4,
        message: `MPD/Period[1]: xlink:href gone.xml could not be resolved (HTTP 404); used as written`,
      },
    ]);
    const plain = parseMpd(mpdText(period('main', 'start="PT0S"', 'main'), 'type="static"'), {
      url: MANIFEST_URL,
    });
    expect(await resolveXlinks(plain, { load })).toBe(plain);
  });
});
