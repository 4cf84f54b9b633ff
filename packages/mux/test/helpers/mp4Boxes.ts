import { readFile } from 'node:fs/promises';

/** A minimal, test-only ISO-BMFF walker (ISO/IEC 14496-12 4.2) to check what ffmpeg + clamp wrote. */
export interface TestBox {
  type: string;
  offset: number;
  size: number;
  body: Uint8Array;
}

export function walkBoxes(bytes: Uint8Array, start = 0, end = bytes.length): TestBox[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const boxes: TestBox[] = [];
  for (let at = start; at + 8 <= end; ) {
    let size = view.getUint32(at); // size
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8)); // type
    let header = 8;
    if (size === 1) {
      size = Number(view.getBigUint64(at + 8)); // largesize
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    boxes.push({ type, offset: at, size, body: bytes.subarray(at + header, at + size) });
    at += size;
  }
  return boxes;
}

export interface TrackBoxes {
  handler: string;
  mdhdTimescale: number;
  /** [segment_duration, media_time, media_rate_integer] per elst entry. */
  elst: [number, number, number][] | undefined;
}

export interface Mp4Summary {
  topLevel: string[];
  mvhdTimescale: number;
  mvhdDuration: number;
  tracks: TrackBoxes[];
}

export async function readMp4Summary(file: string): Promise<Mp4Summary> {
  const bytes = new Uint8Array(await readFile(file));
  const top = walkBoxes(bytes);
  const moov = top.find((box) => box.type === 'moov');
  if (!moov) throw new Error(`${file}: no moov`);
  const kids = (box: TestBox) => walkBoxes(box.body);
  const find = (box: TestBox, type: string) => kids(box).find((child) => child.type === type);
  const dv = (box: TestBox) => new DataView(box.body.buffer, box.body.byteOffset, box.body.length);
  const mvhd = find(moov, 'mvhd');
  if (!mvhd) throw new Error('no mvhd');
  const mvhdV1 = mvhd.body[0] === 1; // version
  const mvhdView = dv(mvhd);
  const summary: Mp4Summary = {
    topLevel: top.map((box) => box.type),
    mvhdTimescale: mvhdView.getUint32(mvhdV1 ? 20 : 12), // timescale
    mvhdDuration: mvhdV1 ? Number(mvhdView.getBigUint64(24)) : mvhdView.getUint32(16), // duration
    tracks: [],
  };
  for (const trak of kids(moov).filter((box) => box.type === 'trak')) {
    const mdia = find(trak, 'mdia');
    const hdlr = mdia && find(mdia, 'hdlr');
    const mdhd = mdia && find(mdia, 'mdhd');
    const elstBox = (() => {
      const edts = find(trak, 'edts');
      return edts && find(edts, 'elst');
    })();
    let elst: [number, number, number][] | undefined;
    if (elstBox) {
      const view = dv(elstBox);
      const v1 = elstBox.body[0] === 1; // version
      const count = view.getUint32(4); // entry_count
      elst = [];
      for (let i = 0; i < count; i++) {
        const at = 8 + i * (v1 ? 20 : 12);
        elst.push(
          v1
            ? [Number(view.getBigUint64(at)), Number(view.getBigInt64(at + 8)), view.getInt16(at + 16)]
            : [view.getUint32(at), view.getInt32(at + 4), view.getInt16(at + 8)], // segment_duration, media_time, media_rate_integer
        );
      }
    }
    const mdhdV1 = mdhd?.body[0] === 1;
    summary.tracks.push({
      handler: hdlr ? String.fromCharCode(...hdlr.body.subarray(8, 12)) : '', // handler_type
      mdhdTimescale: mdhd ? dv(mdhd).getUint32(mdhdV1 ? 20 : 12) : 0, // timescale
      elst,
    });
  }
  return summary;
}
