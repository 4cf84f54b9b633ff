import { readFile } from 'node:fs/promises';
import { boxReader, childBox, childBoxes, type IsoBox, readBoxes } from '../../src/mp4/isoBoxes.js';

/** What the tests check of an MP4 that ffmpeg + clamp wrote (ISO/IEC 14496-12), read with the package's box walker. */
export interface TrackBoxes {
  handler: string;
  mdhdTimescale: number;
  /** [segment_duration, media_time, media_rate_integer] per elst entry. */
  elst: [number, number, number][] | undefined;
  /** [sample_count, sample_delta] per stts entry. */
  stts: [number, number][];
}

export interface Mp4Summary {
  topLevel: string[];
  mvhdTimescale: number;
  mvhdDuration: number;
  tracks: TrackBoxes[];
}

/** Body reader of a full box after version(8) flags(24); returns whether version is 1. */
const fullBox = (box: IsoBox): boolean => {
  const v1 = box.body.u8() === 1; // version
  box.body.skip(3); // flags
  return v1;
};

export async function readMp4Summary(file: string): Promise<Mp4Summary> {
  const top = readBoxes(boxReader(new Uint8Array(await readFile(file)), { path: file }));
  const moov = top.find((box) => box.type === 'moov');
  if (!moov) throw new Error(`${file}: no moov`);
  const mvhd = childBox(moov, 'mvhd');
  if (!mvhd) throw new Error('no mvhd');
  const mvhdV1 = fullBox(mvhd);
  mvhd.body.skip(mvhdV1 ? 16 : 8); // creation_time, modification_time
  const summary: Mp4Summary = {
    topLevel: top.map((box) => box.type),
    mvhdTimescale: mvhd.body.u32(), // timescale
    mvhdDuration: mvhdV1 ? mvhd.body.u64Number() : mvhd.body.u32(), // duration
    tracks: [],
  };
  for (const trak of childBoxes(moov).filter((box) => box.type === 'trak')) {
    const mdia = childBox(trak, 'mdia');
    const hdlr = mdia && childBox(mdia, 'hdlr');
    const mdhd = mdia && childBox(mdia, 'mdhd');
    const minf = mdia && childBox(mdia, 'minf');
    const stbl = minf && childBox(minf, 'stbl');
    const sttsBox = stbl && childBox(stbl, 'stts');
    const edts = childBox(trak, 'edts');
    const elstBox = edts && childBox(edts, 'elst');
    let elst: [number, number, number][] | undefined;
    if (elstBox) {
      const v1 = fullBox(elstBox);
      const count = elstBox.body.u32(); // entry_count
      elst = [];
      for (let i = 0; i < count; i++) {
        const { body } = elstBox;
        elst.push(
          v1
            ? [body.u64Number(), Number(body.i64()), body.i16()] // segment_duration, media_time, media_rate_integer
            : [body.u32(), body.i32(), body.i16()],
        );
        body.skip(2); // media_rate_fraction
      }
    }
    const stts: [number, number][] = [];
    if (sttsBox) {
      fullBox(sttsBox);
      const count = sttsBox.body.u32(); // entry_count
      for (let i = 0; i < count; i++) stts.push([sttsBox.body.u32(), sttsBox.body.u32()]); // sample_count, sample_delta
    }
    let mdhdTimescale = 0;
    if (mdhd) {
      const v1 = fullBox(mdhd);
      mdhd.body.skip(v1 ? 16 : 8); // creation_time, modification_time
      mdhdTimescale = mdhd.body.u32(); // timescale
    }
    summary.tracks.push({
      handler: hdlr ? hdlr.body.skip(8).fourcc() : '', // pre_defined, handler_type
      mdhdTimescale,
      elst,
      stts,
    });
  }
  return summary;
}
