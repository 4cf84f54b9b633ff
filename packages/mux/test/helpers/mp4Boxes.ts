import { readFile } from 'node:fs/promises';
import {
  type Box,
  type EditListBox,
  findBox,
  findBoxes,
  type HandlerBox,
  type MediaHeaderBox,
  type MovieHeaderBox,
  parseBoxes,
  type TimeToSampleBox,
} from '@rec/fmp4-boxes';

/** What the tests check of an MP4 that ffmpeg + clamp wrote (ISO/IEC 14496-12), read with @rec/fmp4-boxes. */
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

export async function readMp4Summary(file: string): Promise<Mp4Summary> {
  const top = parseBoxes(new Uint8Array(await readFile(file)));
  const moov = top.find((box) => box.type === 'moov');
  if (!moov) throw new Error(`${file}: no moov`);
  const mvhd = findBox(moov, 'mvhd') as MovieHeaderBox | undefined;
  if (!mvhd) throw new Error('no mvhd');
  const summary: Mp4Summary = {
    topLevel: top.map((box) => box.type),
    mvhdTimescale: mvhd.timeScale,
    mvhdDuration: Number(mvhd.duration),
    tracks: [],
  };
  for (const trak of findBoxes(moov, 'trak') as Box[]) {
    const elst = findBox(trak, 'edts/elst') as EditListBox | undefined;
    const stts = findBox(trak, 'mdia/minf/stbl/stts') as TimeToSampleBox | undefined;
    summary.tracks.push({
      handler: (findBox(trak, 'mdia/hdlr') as HandlerBox | undefined)?.handlerType ?? '',
      mdhdTimescale: (findBox(trak, 'mdia/mdhd') as MediaHeaderBox | undefined)?.timeScale ?? 0,
      elst: elst?.entries.map((entry) => [
        Number(entry.segmentDuration),
        Number(entry.mediaTime),
        entry.mediaRate,
      ]),
      stts: stts ? Array.from(stts.sampleCounts, (count, i) => [count, stts.sampleDurations[i] ?? 0]) : [],
    });
  }
  return summary;
}
