import type { Box, FullBox } from '../Box.js';
import type { BoxDecoder } from '../BoxDecoder.js';
import { needEntries, readBytes, readFullBox } from '../read/fields.js';
import { writeFullBox } from '../write/fields.js';

const utf8 = new TextDecoder('utf-8');

/**
 * `meta` (ISO/IEC 14496-12 8.11.1): a FullBox of metadata boxes (`hdlr`
 * first). QuickTime's `meta` (QTFF "Metadata atom") has no version and
 * flags: it is told apart by its first child, a `hdlr`, starting right away.
 */
export interface MetaBox extends Box {
  type: 'meta';
  /** Absent in QuickTime's form. */
  version?: number;
  flags?: number;
  children: Box[];
}

/* aligned(8) class MetaBox (handler_type) extends FullBox('meta', version = 0, 0) {
 *   HandlerBox(handler_type) theHandler; PrimaryItemBox primary_resource; DataInformationBox file_locations; ... } */
export const meta: BoxDecoder<MetaBox> = {
  type: 'meta',
  container: true,
  read(reader) {
    if (reader.remaining >= 8) {
      const view = reader.bytesView(8);
      reader.seek(reader.position - 8);
      // QuickTime: size(32) then 'hdlr' at the start of the body.
      if (String.fromCharCode(view[4]!, view[5]!, view[6]!, view[7]!) === 'hdlr') return {};
    }
    return readFullBox(reader);
  },
  write(box, writer) {
    if (box.version !== undefined) writeFullBox(writer, { version: box.version, flags: box.flags ?? 0 }); // absent in QuickTime's form
  },
};

/** An `ilst` item (iTunes metadata, QTFF "Metadata item list atom"): named by its type (`©nam`, `trkn`, or a 1-based `keys` index), values in `data` children. */
export interface ItemListItem extends Box {
  children: Box[];
}

/** `data` (QTFF "Value atom"): a type indicator, a locale, then the value. */
export interface DataBox extends Box {
  type: 'data';
  /** The type set (0: the well-known types). */
  typeSet: number;
  /** Well-known type (QTFF Table "Well-known data types"): 0 implicit, 1 UTF-8, 2 UTF-16, 13 JPEG, 14 PNG, 21 signed, 22 unsigned... */
  dataType: number;
  locale: number;
  value: Uint8Array;
  /** For UTF-8 (1) values. */
  text?: string;
}

/* Value atom: unsigned int(8) type set; unsigned int(24) well-known type; unsigned int(32) locale; bytes value. */
const data: BoxDecoder<DataBox> = {
  type: 'data',
  read(reader) {
    const typeSet = reader.u8(); // type indicator: type set
    const dataType = reader.u24(); // type indicator: well-known type
    const locale = reader.u32(); // locale indicator
    const value = readBytes(reader, reader.remaining); // value
    const fields = { typeSet, dataType, locale, value };
    return typeSet === 0 && dataType === 1 ? { ...fields, text: utf8.decode(value) } : fields;
  },
  write(box, writer) {
    writer.u8(box.typeSet).u24(box.dataType).u32(box.locale).bytes(box.value); // type indicator, locale, value
  },
};

/** `mean` and `name` of a `----` item (a reverse-DNS namespace and a name). */
export interface ItemStringBox extends FullBox {
  type: 'mean' | 'name';
  value: string;
}

const itemString = (type: 'mean' | 'name'): BoxDecoder<ItemStringBox> => ({
  type,
  read(reader) {
    const { version, flags } = readFullBox(reader);
    return { version, flags, value: utf8.decode(reader.bytesView(reader.remaining)) };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.utf8(box.value);
  },
});
const itemChildren: Record<string, BoxDecoder> = { data, mean: itemString('mean'), name: itemString('name') };

const item = (type: string): BoxDecoder<ItemListItem> => ({
  type,
  container: true,
  childDecoder: (child) => itemChildren[child],
});

/** `ilst`: a container whose children are metadata items of any type. */
export const ilst: BoxDecoder = {
  type: 'ilst',
  container: true,
  childDecoder: (type) => item(type),
};

export interface MetadataKey {
  /** `mdta` for QuickTime metadata keys. */
  keyNamespace: string;
  keyValue: string;
}

/** `keys` (QTFF "Metadata item keys atom"): the names of the `ilst` items of an `mdta` meta, 1-based. */
export interface MetadataKeysBox extends FullBox {
  type: 'keys';
  entries: MetadataKey[];
}

/* Metadata item keys atom: version(8) flags(24) entry_count(32), then per key: key_size(32) key_namespace(32) key_value[key_size - 8]. */
export const keys: BoxDecoder<MetadataKeysBox> = {
  type: 'keys',
  accepts: (context) => context.ancestors.at(-1)?.type === 'meta',
  read(reader, context) {
    const { version, flags } = readFullBox(reader);
    const count = reader.u32(); // entry_count
    needEntries(reader, context, count, 8);
    const entries: MetadataKey[] = [];
    for (let i = 0; i < count; i++) {
      const at = reader.offset;
      const keySize = reader.u32(); // key_size
      if (keySize < 8) throw context.fail(`key_size ${keySize} is under 8`, { offset: at });
      const keyNamespace = reader.fourcc(); // key_namespace
      entries.push({ keyNamespace, keyValue: utf8.decode(reader.bytesView(keySize - 8)) }); // key_value
    }
    return { version, flags, entries };
  },
  write(box, writer) {
    writeFullBox(writer, box);
    writer.u32(box.entries.length); // entry_count
    for (const key of box.entries) {
      const value = new TextEncoder().encode(key.keyValue);
      writer
        .u32(8 + value.length)
        .fourcc(key.keyNamespace)
        .bytes(value); // key_size, key_namespace, key_value
    }
  },
};
