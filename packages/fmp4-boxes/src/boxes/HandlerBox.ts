import type { BoxFields, FullBox } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { readBytes, readFullBox, sameBytes } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

const utf8 = new TextDecoder('utf-8');

/** `hdlr` (ISO/IEC 14496-12 8.4.3): what kind of media a track holds (`vide`, `soun`...), or a meta box's format. */
export interface HandlerBox extends FullBox {
  type: 'hdlr';
  /** unsigned int(32) pre_defined (QuickTime's component type: `mhlr`, `dhlr`). */
  predefined: number;
  handlerType: string;
  /** const unsigned int(32)[3] reserved. */
  reserved: Uint8Array;
  /** UTF-8. */
  handlerName: string;
  /**
   * How the name is stored: `c` NUL-terminated (ISO), `pascal` a length
   * byte first (QuickTime; Bento4's "QuickTime mode"), `bare` neither (no terminator).
   */
  nameFormat: 'c' | 'pascal' | 'bare';
  /**
   * The name's bytes as read (without the NUL or the length byte), when
   * `handlerName` does not encode back to them (invalid UTF-8). The writer
   * writes them back while `handlerName` is still what they decode to.
   */
  handlerNameBytes?: Uint8Array;
}

/*
 * aligned(8) class HandlerBox extends FullBox('hdlr', version = 0, 0) {
 *   unsigned int(32) pre_defined = 0; unsigned int(32) handler_type;
 *   const unsigned int(32)[3] reserved = 0; utf8string name; }
 */
export const hdlr: BoxDecoder<HandlerBox> = {
  type: 'hdlr',
  read(reader) {
    const { version, flags } = readFullBox(reader);
    const predefined = reader.u32(); // pre_defined
    const handlerType = reader.fourcc(); // handler_type
    const reserved = readBytes(reader, 12); // reserved[3]
    const nameStart = reader.position;
    const rest = reader.bytesView(reader.remaining); // name
    const nul = rest.indexOf(0);
    let name: Uint8Array;
    let nameFormat: HandlerBox['nameFormat'];
    // QuickTime writes a Pascal string; Bento4 takes a first byte equal to the length of the rest as one.
    if (rest.length > 1 && rest[0] === rest.length - 1) {
      name = rest.subarray(1);
      nameFormat = 'pascal';
    } else if (nul === -1) {
      name = rest;
      nameFormat = 'bare';
    } else {
      name = rest.subarray(0, nul);
      nameFormat = 'c';
      reader.seek(nameStart + nul + 1); // what follows the NUL is kept as trailing bytes
    }
    const handlerName = utf8.decode(name);
    const fields: BoxFields<HandlerBox> = {
      version,
      flags,
      predefined,
      handlerType,
      reserved,
      handlerName,
      nameFormat,
    };
    if (!sameBytes(utf8Encoder.encode(handlerName), name)) fields.handlerNameBytes = name.slice();
    return fields;
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.predefined).fourcc(box.handlerType).bytes(box.reserved); // pre_defined, handler_type, reserved
    const raw = box.handlerNameBytes;
    const name = raw && utf8.decode(raw) === box.handlerName ? raw : utf8Encoder.encode(box.handlerName); // name
    if (box.nameFormat === 'pascal') writer.u8(name.length).bytes(name);
    else if (box.nameFormat === 'bare') writer.bytes(name);
    else writer.bytes(name).u8(0);
  },
};

const utf8Encoder = new TextEncoder();
