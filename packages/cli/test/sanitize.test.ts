import { describe, expect, it } from 'vitest';
import {
  escapeControlCharacters,
  redactSecrets,
  sanitizeLines,
  sanitizeMessage,
  secretValues,
} from '../src/index.js';

describe('escapeControlCharacters', () => {
  it('shows C0, DEL, C1, bidi controls and lone surrogates as escapes', () => {
    expect(escapeControlCharacters('a\u0000b\u0007c\u001b[2Jd\u007fe\u009bf')).toBe(
      'a\\x00b\\x07c\\e[2Jd\\x7fe\\x9bf',
    );
    expect(escapeControlCharacters('line\r\nnext\ttab')).toBe('line\\r\\nnext\\ttab');
    expect(escapeControlCharacters('invoice\u202etxt.exe \u2066x\u2069 \u2028')).toBe(
      'invoice\\u202etxt.exe \\u2066x\\u2069 \\u2028',
    );
    expect(escapeControlCharacters('lone \ud800 pair \ud83d\ude00')).toBe('lone \\ud800 pair \ud83d\ude00');
  });

  it('leaves printable text alone, accents and emoji included', () => {
    const text = 'Bucket "cams" — köln/00/vidéo/1700000000.h264 ✓ 🎥';
    expect(escapeControlCharacters(text)).toBe(text);
  });

  it('gives one line for any bytes', () => {
    const garbage = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    const shown = escapeControlCharacters(garbage);
    const controls = [...shown].filter((char) => {
      const code = char.charCodeAt(0);
      return code < 0x20 || (code >= 0x7f && code <= 0x9f);
    });
    expect(controls).toEqual([]);
    expect(shown.split('\n')).toHaveLength(1);
  });
});

describe('redactSecrets', () => {
  it('hides URL passwords and signed-URL parameters', () => {
    expect(redactSecrets('GET https://user:hunter2@example.com/a.mpd failed')).toBe(
      'GET https://***@example.com/a.mpd failed',
    );
    expect(
      redactSecrets(
        'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20240101&X-Amz-Signature=abcdef&X-Amz-Security-Token=tok',
      ),
    ).toBe(
      'https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***',
    );
  });

  it('hides the values of secret environment variables wherever they appear', () => {
    const secrets = secretValues({
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
      AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEJr',
      SHORT_TOKEN: 'abc',
      HOME: '/root',
    });
    expect(secrets).toEqual(['wJalrXUtnFEMI/K7MDENG', 'FwoGZXIvYXdzEJr']);
    expect(sanitizeMessage('signing with wJalrXUtnFEMI/K7MDENG for AKIAEXAMPLE', secrets)).toBe(
      'signing with *** for AKIAEXAMPLE',
    );
  });
});

describe('sanitizeLines', () => {
  it('keeps line breaks of a stack, escapes the rest', () => {
    expect(sanitizeLines('Error: a\u001b[31m\n    at f (x.ts:1:1)\r\n    at g')).toBe(
      'Error: a\\e[31m\n    at f (x.ts:1:1)\n    at g',
    );
  });
});
