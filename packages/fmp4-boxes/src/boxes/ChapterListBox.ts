import type { BoxFields, FullBox, Uint64 } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { readFullBox, readUint64, sameBytes } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** One chapter of a `chpl`. */
export interface Chapter {
  /** Start time in units of 100 ns (10,000,000 a second), from the start of the movie. */
  startTime: Uint64;
  /** UTF-8. */
  title: string;
  /** The title's bytes as read, when `title` does not encode back to them (invalid UTF-8); written back while `title` is what they decode to. */
  titleBytes?: Uint8Array;
}

/**
 * `chpl` (Nero's chapter list, in `moov/udta`; no ISO clause): what ffmpeg
 * writes for `-map_chapters` into MP4 next to a QuickTime chapter track, and
 * what players read when there is no such track.
 */
export interface ChapterListBox extends FullBox {
  type: 'chpl';
  /** The unsigned int(32) version 1 has before the count (0 as ffmpeg and Nero write it). */
  reserved?: number;
  chapters: Chapter[];
}

/*
 * No published syntax; as Nero wrote it and ffmpeg reads and writes it (libavformat/mov.c, movenc.c):
 * FullBox('chpl', version, 0) { if (version == 1) unsigned int(32) reserved; unsigned int(8) chapter_count;
 *   for (i = 0; i < chapter_count; i++) { unsigned int(64) start_time; unsigned int(8) title_length;
 *     utf8 title[title_length]; } }
 */
export const chpl: BoxDecoder<ChapterListBox> = {
  type: 'chpl',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    const fields: BoxFields<ChapterListBox> = { version, flags, chapters: [] };
    if (version === 1) fields.reserved = reader.u32(); // reserved
    // A u8 count of entries of at least 9 bytes: bounded by the box without a check (255 x 264 bytes at most).
    const count = reader.u8(); // chapter_count
    for (let i = 0; i < count; i++) {
      const startTime = readUint64(reader); // start_time
      const bytes = reader.bytesView(reader.u8()); // title_length, title
      const title = utf8.decode(bytes);
      const chapter: Chapter = { startTime, title };
      if (!sameBytes(utf8Encoder.encode(title), bytes)) chapter.titleBytes = bytes.slice();
      fields.chapters.push(chapter);
    }
    return fields;
  },
  write(box, writer) {
    writeFullBox(writer, box);
    if (box.version === 1) writer.u32(box.reserved ?? 0); // reserved
    if (box.chapters.length > 255)
      throw new RangeError(`chpl holds up to 255 chapters, got ${box.chapters.length}`);
    writer.u8(box.chapters.length); // chapter_count
    for (const chapter of box.chapters) {
      const raw = chapter.titleBytes;
      const title = raw && utf8.decode(raw) === chapter.title ? raw : utf8Encoder.encode(chapter.title);
      if (title.length > 255) throw new RangeError(`a chpl title is up to 255 bytes, got ${title.length}`);
      writer.u64(chapter.startTime).u8(title.length).bytes(title); // start_time, title_length, title
    }
  },
};
