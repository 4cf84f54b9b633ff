import type { BoxFields, FullBox } from '../Box.js';
import type { BoxDecoder, DecodeContext } from '../BoxDecoder.js';
import { readFullBox, sameBytes, unpackLanguage } from '../read/fields.js';
import { packLanguage, writeFullBox } from '../write/fields.js';

const utf8 = new TextDecoder('utf-8');
const utf16 = new TextDecoder('utf-16be');
const utf8Encoder = new TextEncoder();

/** The 3GPP asset boxes live in a `udta` (3GPP TS 26.244 8.3); elsewhere the same fourccs mean other things (`ilst`'s `cprt`). */
const inUdta = (context: DecodeContext): boolean => context.ancestors.at(-1)?.type === 'udta';

/**
 * A 3GPP localized string (3GPP TS 26.244 8.3.x): `titl` title, `dscp`
 * description, `cprt` copyright, `perf` performer, `auth` author, `gnre`
 * genre, in a `moov` or `trak` `udta`, as 3GPP and ffmpeg's 3gp muxer
 * write them.
 */
export interface LocalizedStringBox extends FullBox {
  type: 'titl' | 'dscp' | 'cprt' | 'perf' | 'auth' | 'gnre';
  /** ISO 639-2/T code. */
  language: string;
  /** The pad bit before the language (0 in conforming files). */
  languagePad: number;
  /** Up to its terminating NUL; UTF-16 when it starts with a byte order mark. */
  value: string;
  encoding: 'utf-8' | 'utf-16';
  /** The value's bytes as read, when `value` does not encode back to them (no NUL, invalid UTF-8, bytes after the NUL). */
  valueBytes?: Uint8Array;
}

/* aligned(8) class <type> extends FullBox(type, version = 0, 0) {
 *   bit(1) pad = 0; unsigned int(5)[3] language; string value; }  (UTF-8, or UTF-16 after a BOM, NUL-terminated) */
const localizedString = (type: LocalizedStringBox['type']): BoxDecoder<LocalizedStringBox> => ({
  type,
  accepts: inUdta,
  read(reader) {
    const { version, flags } = readFullBox(reader);
    const packed = reader.u16(); // pad, language
    const bytes = reader.bytesView(reader.remaining); // value
    const fields: BoxFields<LocalizedStringBox> = {
      version,
      flags,
      language: unpackLanguage(packed),
      languagePad: packed >> 15,
      ...decodeValue(bytes),
    };
    const encoded = encodeValue(fields.value, fields.encoding);
    if (!sameBytes(encoded, bytes)) fields.valueBytes = bytes.slice();
    return fields;
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u16(packLanguage(box.language, box.languagePad)); // pad, language
    const encoded = encodeValue(box.value, box.encoding);
    const raw = box.valueBytes;
    // The bytes as read, while `value` is still what they decode to.
    writer.bytes(raw && decodeValue(raw).value === box.value ? raw : encoded); // value
  },
});

function decodeValue(bytes: Uint8Array): { value: string; encoding: 'utf-8' | 'utf-16' } {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    // Code units up to a NUL unit (or the last whole unit).
    let end = 2;
    while (end + 1 < bytes.length && (bytes[end] !== 0 || bytes[end + 1] !== 0)) end += 2;
    return {
      value: utf16.decode(bytes.subarray(2, Math.min(end, bytes.length - (bytes.length % 2)))),
      encoding: 'utf-16',
    };
  }
  const nul = bytes.indexOf(0);
  return { value: utf8.decode(nul < 0 ? bytes : bytes.subarray(0, nul)), encoding: 'utf-8' };
}

function encodeValue(value: string, encoding: 'utf-8' | 'utf-16'): Uint8Array {
  if (encoding === 'utf-8') {
    const text = utf8Encoder.encode(value);
    const out = new Uint8Array(text.length + 1);
    out.set(text);
    return out;
  }
  const out = new Uint8Array(2 + value.length * 2 + 2);
  out[0] = 0xfe;
  out[1] = 0xff;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    out[2 + i * 2] = unit >> 8;
    out[3 + i * 2] = unit & 0xff;
  }
  return out;
}

export const titl = localizedString('titl');
export const dscp = localizedString('dscp');
export const cprt = localizedString('cprt');
export const perf = localizedString('perf');
export const auth = localizedString('auth');
export const gnre = localizedString('gnre');

/** `yrrc` (3GPP TS 26.244 8.3.x): the recording year. */
export interface RecordingYearBox extends FullBox {
  type: 'yrrc';
  year: number;
}

/* aligned(8) class RecordingYearBox extends FullBox('yrrc', version = 0, 0) { unsigned int(16) recording_year; } */
export const yrrc: BoxDecoder<RecordingYearBox> = {
  type: 'yrrc',
  accepts: inUdta,
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, year: reader.u16() }; // recording_year
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u16(box.year); // recording_year
  },
};
