/** Codecs that only carry text (TTML in MP4, WebVTT in MP4, CEA captions). */
const textCodecs = /^(?:stpp|wvtt|tx3g|c608|c708)/i;

/**
 * The content type of a set or Representation without `@contentType`: the
 * MIME type's top-level type, `text` for subtitle formats carried as
 * `application/*` (TTML, MP4 with stpp/wvtt), as shaka-player guesses it.
 */
export function guessContentType(
  mimeType: string | undefined,
  codecs: string | undefined,
): string | undefined {
  const top = mimeType?.split('/')[0]?.toLowerCase();
  if (top === 'video' || top === 'audio' || top === 'text' || top === 'image') {
    if (top !== 'text' && codecs && codecs.split(',').every((codec) => textCodecs.test(codec.trim()))) {
      return 'text';
    }
    return top;
  }
  if (mimeType === 'application/ttml+xml' || (codecs && textCodecs.test(codecs))) return 'text';
  return top || undefined;
}
