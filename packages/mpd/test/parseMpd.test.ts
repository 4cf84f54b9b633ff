import { describe, expect, it } from 'vitest';
import { MpdError, parseMpd } from '../src/index.js';
import { MANIFEST_URL, mpdText } from './helpers/resolve.js';

const parse = (xml: string | Uint8Array, maxBytes?: number) => parseMpd(xml, { url: MANIFEST_URL, maxBytes });

/** The MpdError `run` throws. */
function mpdError(run: () => unknown): MpdError {
  try {
    run();
  } catch (error) {
    if (error instanceof MpdError) return error;
    throw error;
  }
  throw new Error('no error thrown');
}

const minimal = (inner = '', attributes = '') =>
  mpdText(
    `<Period ${attributes}><AdaptationSet mimeType="video/mp4"><Representation id="v" bandwidth="1">${inner}<BaseURL>v.mp4</BaseURL></Representation></AdaptationSet></Period>`,
    'type="static" mediaPresentationDuration="PT10S"',
  );

describe('malformed XML', () => {
  it('is an MpdError naming the line and column', () => {
    const error = mpdError(() => parse('<MPD type="static">\n  <Period id="1"start="PT0S"/>\n</MPD>'));
    expect(error.code).toBe('MPD_INVALID');
    expect([error.line, error.column]).toEqual([2, 17]);
    expect(error.message).toBe(
      "malformed XML at line 2, column 17: Attribute 'start' has no space in starting.",
    );
  });

  it('names the end of the input for a truncated manifest', () => {
    const error = mpdError(() => parse('<MPD type="static">\n  <Period>\n    <AdaptationSet>'));
    expect(error.code).toBe('MPD_INVALID');
    expect(error.message).toMatch(/^malformed XML at line \d+, column \d+: /);
  });

  it('refuses a root other than MPD, and no input at all', () => {
    expect(mpdError(() => parse('<html><body/></html>')).message).toBe(
      'html: the root element is <html>, not <MPD>',
    );
    expect(mpdError(() => parse('')).code).toBe('MPD_INVALID');
    expect(mpdError(() => parse('   ')).code).toBe('MPD_INVALID');
  });

  it('refuses manifests longer than maxBytes before reading them', () => {
    const error = mpdError(() => parse(minimal(), 100));
    expect(error.code).toBe('MPD_TOO_LARGE');
  });

  it('takes bytes, UTF-8 or UTF-16 with a BOM', () => {
    const text = minimal();
    expect(parse(new TextEncoder().encode(text)).periods).toHaveLength(1);
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) utf16[2 + i * 2] = text.charCodeAt(i);
    expect(parse(utf16).periods[0]?.adaptationSets[0]?.representations[0]?.id).toBe('v');
  });

  it('rejects bad option values as TypeErrors', () => {
    expect(() => parseMpd(minimal(), { url: 'not a url' })).toThrow(
      new TypeError('Expected `url` to be an absolute URL, got `"not a url"` (string)'),
    );
    expect(() => parseMpd(minimal(), { url: MANIFEST_URL, maxBytes: 0 })).toThrow(TypeError);
  });
});

describe('entities', () => {
  it('decodes the predefined entities and character references, nothing else', () => {
    const mpd = parse(minimal('<BaseURL>https://h.example/a?x=1&amp;y=&#50;&#x33;&lt;</BaseURL>'));
    expect(mpd.periods[0]?.adaptationSets[0]?.representations[0]?.baseUrls[0]).toBe(
      'https://h.example/a?x=1&y=23%3C',
    );
  });

  it('never expands DOCTYPE entities (billion laughs), with a clear MpdError', () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE MPD [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<MPD type="static"><Period><BaseURL>&lol9;</BaseURL></Period></MPD>`;
    const started = performance.now();
    const error = mpdError(() => parse(laughs));
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.code).toBe('MPD_UNSUPPORTED');
    expect(error.message).toBe('line 8: &lol9; is declared in the DOCTYPE; entity expansion is refused');
    expect(
      mpdError(() => parse('<MPD type="static"><Period><BaseURL>&nbsp;</BaseURL></Period></MPD>')).message,
    ).toBe('line 1: &nbsp; is not a defined XML entity');
  });

  it('keeps a bare & as written, with a warning', () => {
    const mpd = parse(minimal('<BaseURL>https://h.example/a?x=1&y=2</BaseURL>'));
    expect(mpd.periods[0]?.adaptationSets[0]?.representations[0]?.baseUrls[0]).toBe(
      'https://h.example/a?x=1&y=2',
    );
    expect(mpd.warnings.map((w) => w.code)).toEqual(['MPD_BARE_AMPERSAND']);
  });
});

describe('namespaces and unknown elements', () => {
  it('tolerates a prefix used but not declared, with one warning per prefix', () => {
    const mpd = parse(
      mpdText(
        `<Period><EventStream schemeIdUri="urn:scte:scte35:2013:xml"><Event id="1"><scte35:SpliceInfoSection ptsAdjustment="0"><scte35:SpliceInsert/></scte35:SpliceInfoSection></Event></EventStream>
        <AdaptationSet mimeType="video/mp4"><ContentProtection schemeIdUri="urn:uuid:9a04f079-9840-4286-ab92-e65be0885f95"><mspr:pro>AAAA</mspr:pro></ContentProtection>
        <Representation id="v" bandwidth="1"><BaseURL>v.mp4</BaseURL></Representation></AdaptationSet></Period>`,
        'type="static" mediaPresentationDuration="PT10S"',
      ),
    );
    expect(mpd.warnings).toEqual([
      {
        code: 'MPD_UNDECLARED_PREFIX',
        message: "line 3: namespace prefix 'scte35:' is used but not declared",
        count: 2,
      },
    ]);
    const event = mpd.periods[0]?.eventStreams[0]?.children[0];
    expect(event?.children[0]).toMatchObject({
      name: 'scte35:SpliceInfoSection',
      localName: 'SpliceInfoSection',
      namespace: null,
      attributes: { ptsAdjustment: '0' },
      path: 'MPD/Period[0]/EventStream[0]/Event[0]/scte35:SpliceInfoSection[0]',
    });
  });

  it('keeps every element for callers, with its path and line', () => {
    const mpd = parse(
      minimal(
        '<SupplementalProperty schemeIdUri="urn:x" value="1"/><Vendor xmlns="urn:vendor" a="b">text</Vendor>',
      ),
    );
    const representation = mpd.periods[0]?.adaptationSets[0]?.representations[0];
    expect(
      representation?.element.children.map((child) => [child.name, child.namespace, child.text]),
    ).toEqual([
      ['SupplementalProperty', 'urn:mpeg:dash:schema:mpd:2011', ''],
      ['Vendor', 'urn:vendor', 'text'],
      ['BaseURL', 'urn:mpeg:dash:schema:mpd:2011', 'v.mp4'],
    ]);
    expect(representation?.element.line).toBe(3);
  });
});

describe('the model', () => {
  it('reads MPD attributes: durations in seconds, instants in ms', () => {
    const mpd = parse(
      mpdText(
        '<Location>../live/again.mpd</Location><UTCTiming schemeIdUri="urn:mpeg:dash:utc:http-xsdate:2014" value="https://time.example/"/><Period/>',
        `type="dynamic" id="x" availabilityStartTime="2024-05-01T12:00:00Z" publishTime="2024-05-01T12:00:10.5+02:00"
         timeShiftBufferDepth="PT1M30S" minimumUpdatePeriod="PT2S" suggestedPresentationDelay="PT6S" minBufferTime="PT1.5S" maxSegmentDuration="PT2S"`,
      ),
    );
    expect(mpd).toMatchObject({
      type: 'dynamic',
      id: 'x',
      availabilityStartTime: Date.UTC(2024, 4, 1, 12),
      publishTime: Date.UTC(2024, 4, 1, 10, 0, 10, 500),
      timeShiftBufferDepth: 90,
      minimumUpdatePeriod: 2,
      suggestedPresentationDelay: 6,
      minBufferTime: 1.5,
      maxSegmentDuration: 2,
      mediaPresentationDuration: null,
      profiles: ['urn:mpeg:dash:profile:isoff-live:2011'],
      locations: ['https://cdn.example.com/live/again.mpd'],
      utcTimings: [
        {
          scheme: 'http-xsdate',
          schemeIdUri: 'urn:mpeg:dash:utc:http-xsdate:2014',
          value: 'https://time.example/',
        },
      ],
    });
    expect(mpd.warnings.map((w) => w.code)).toEqual(['MPD_PERIOD_START_ASSUMED']);
  });

  it('says which attribute is wrong, where', () => {
    expect(
      mpdError(() => parse(mpdText('<Period/>', 'type="static" mediaPresentationDuration="10 s"'))).message,
    ).toBe('MPD@mediaPresentationDuration: expected an xs:duration such as PT2S, got "10 s" (line 2)');
    expect(mpdError(() => parse(mpdText('<Period/>', 'type="live"'))).message).toBe(
      'MPD@type: expected static or dynamic, got "live"',
    );
    // 23009-1 6th edition's list MPD (Annex G.29): a clear "not supported", not "invalid".
    const list = mpdError(() =>
      parse(
        mpdText(
          '<Period id="42" duration="PT15S"><ImportedMPD>ad0.mpd</ImportedMPD></Period>',
          'type="list"',
        ),
      ),
    );
    expect([list.code, list.message]).toEqual([
      'MPD_UNSUPPORTED',
      'MPD@type: a list MPD (its Periods import other MPDs with ImportedMPD): open the MPDs it lists',
    ]);
  });

  it('inherits mimeType, codecs, size and language down to the Representation', () => {
    const mpd = parse(
      mpdText(
        `<Period duration="PT2S"><AdaptationSet mimeType="audio/mp4" codecs="mp4a.40.2" lang="fr" audioSamplingRate="48000">
          <Representation id="a" bandwidth="128000"><BaseURL>a.mp4</BaseURL></Representation>
          <Representation id="b" bandwidth="64000" codecs="mp4a.40.5"><BaseURL>b.mp4</BaseURL></Representation></AdaptationSet>
         <AdaptationSet contentType="video" width="1280" height="720" frameRate="30000/1001"><Representation id="v" mimeType="video/mp4" bandwidth="1" height="360"><BaseURL>v.mp4</BaseURL></Representation></AdaptationSet>
         <AdaptationSet mimeType="application/mp4" codecs="stpp"><Representation id="t" bandwidth="1"><BaseURL>t.mp4</BaseURL></Representation></AdaptationSet></Period>`,
      ),
    );
    const [audio, video, text] = mpd.periods[0]?.adaptationSets ?? [];
    expect(audio?.contentType).toBe('audio');
    expect(
      audio?.representations.map((r) => [r.id, r.codecs, r.lang, r.audioSamplingRate, r.mimeType]),
    ).toEqual([
      ['a', 'mp4a.40.2', 'fr', '48000', 'audio/mp4'],
      ['b', 'mp4a.40.5', 'fr', '48000', 'audio/mp4'],
    ]);
    expect(video?.representations[0]).toMatchObject({ width: 1280, height: 360, contentType: 'video' });
    expect(video?.representations[0]?.frameRate).toBeCloseTo(29.97, 2);
    expect(text?.contentType).toBe('text');
  });

  it('reports ContentProtection with the KID and the pssh decoded', () => {
    // A Widevine pssh box: size 32, 'pssh', version 0, SystemID edef8ba9-79d6-4ace-a3c8-27dcd51d21ed, no data.
    const pssh = Uint8Array.from([
      0, 0, 0, 32, 0x70, 0x73, 0x73, 0x68, 0, 0, 0, 0, 0xed, 0xef, 0x8b, 0xa9, 0x79, 0xd6, 0x4a, 0xce, 0xa3,
      0xc8, 0x27, 0xdc, 0xd5, 0x1d, 0x21, 0xed, 0, 0, 0, 0,
    ]);
    const base64 = btoa(String.fromCharCode(...pssh));
    const mpd = parse(
      minimal(
        `<ContentProtection schemeIdUri="urn:mpeg:dash:mp4protection:2011" value="cenc" xmlns:cenc="urn:mpeg:cenc:2013" cenc:default_KID="34E5DB32-8625-47CD-BA06-68FCA0655A72"/>
         <ContentProtection schemeIdUri="urn:uuid:EDEF8BA9-79D6-4ACE-A3C8-27DCD51D21ED" xmlns:cenc="urn:mpeg:cenc:2013"><cenc:pssh>${base64}</cenc:pssh></ContentProtection>`,
      ),
    );
    const [mp4, widevine] = mpd.periods[0]?.adaptationSets[0]?.representations[0]?.contentProtection ?? [];
    expect(mp4).toMatchObject({
      schemeIdUri: 'urn:mpeg:dash:mp4protection:2011',
      value: 'cenc',
      defaultKid: '34e5db32-8625-47cd-ba06-68fca0655a72',
      systemId: null,
      pssh: [],
    });
    expect(widevine?.systemId).toBe('edef8ba9-79d6-4ace-a3c8-27dcd51d21ed');
    expect(widevine?.pssh).toEqual([{ bytes: pssh, systemId: 'edef8ba9-79d6-4ace-a3c8-27dcd51d21ed' }]);
  });

  it('drops elements that xlink resolves to zero and says when a remote one is not fetched', () => {
    const mpd = parse(
      mpdText(
        `<Period xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="urn:mpeg:dash:resolve-to-zero:2013" duration="PT5S"/>
         <Period xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="https://ads.example/period.xml" duration="PT5S"/>`,
        'type="static"',
      ),
    );
    expect(mpd.periods).toHaveLength(1);
    expect(mpd.warnings.map((w) => w.code)).toEqual(['MPD_XLINK_NOT_RESOLVED']);
  });
});

describe('bad values of attributes that only guide a player', () => {
  // Real MPDs (DASH-IF's maxSegmentDuration="2S", GStreamer's availabilityStartTime="2015-03-24T0:0:0"
  // on static MPDs): ignored with a warning, as shaka-player ignores them; what timing needs stays strict.
  it('ignores them with MPD_BAD_ATTRIBUTE and resolves the rest', () => {
    const mpd = parse(
      mpdText(
        '<Period><AdaptationSet mimeType="video/mp4"><Representation id="v" bandwidth="1"><BaseURL>v.mp4</BaseURL></Representation></AdaptationSet></Period>',
        'type="static" mediaPresentationDuration="PT10S" maxSegmentDuration="2S" minBufferTime="P0S" ' +
          'suggestedPresentationDelay="soon" availabilityStartTime="2015-03-24T0:0:0" publishTime="x"',
      ),
    );
    expect(mpd.mediaPresentationDuration).toBe(10);
    expect([mpd.maxSegmentDuration, mpd.minBufferTime, mpd.suggestedPresentationDelay]).toEqual([
      null,
      null,
      null,
    ]);
    expect([mpd.availabilityStartTime, mpd.publishTime]).toEqual([null, null]);
    expect(mpd.warnings.map((warning) => warning.code)).toEqual(['MPD_BAD_ATTRIBUTE']);
    expect(mpd.warnings[0]?.count).toBe(5);
  });

  it('keeps timing strict: a dynamic MPD with a bad availabilityStartTime is an MpdError', () => {
    const error = mpdError(() =>
      parse(
        mpdText(
          '<Period start="PT0S"><AdaptationSet mimeType="video/mp4"><SegmentTemplate media="$Number$.m4s" duration="2"/><Representation id="v" bandwidth="1"/></AdaptationSet></Period>',
          'type="dynamic" availabilityStartTime="2015-03-24T0:0:0"',
        ),
      ),
    );
    expect(error.code).toBe('MPD_INVALID');
    expect(error.message).toContain('MPD@availabilityStartTime');
  });
});
