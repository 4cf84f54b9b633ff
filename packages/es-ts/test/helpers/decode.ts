import { readFile } from 'node:fs/promises';
import type { Codec } from '../../src/index.js';
import { annexB, splitAnnexB } from '../ts/fixtures.js';
import { esPackets } from './truth.js';

const PARAMETER_SETS: Record<Codec, readonly number[]> = { h264: [7, 8], hevc: [32, 33, 34] };

/**
 * An elementary stream cut before a keyframe, as a camera segment cut mid-GOP
 * or JVT's BA_MW_D_IDR_LOST: the stream's parameter sets (VPS/SPS/PPS), then
 * the access units from `fromUnit` on (decoding order, as ffmpeg's parser
 * splits them) with every parameter set taken out, so the first keyframe
 * carries none. `fromKeyframe` is the same stream cut at that keyframe
 * instead, what a decoder can start on; `whole` the whole stream with its
 * parameter sets only at the start.
 */
export async function cutBeforeKeyframe(
  es: string,
  codec: Codec,
  fromUnit: number,
): Promise<{ midGop: Uint8Array; fromKeyframe: Uint8Array; whole: Uint8Array; keyframeUnit: number }> {
  const units = await esPackets(es, codec);
  const keyframeUnit = units.findIndex((unit, i) => i > fromUnit && unit.key);
  if (units[fromUnit]?.key !== false || keyframeUnit < 0) {
    throw new Error(`unit ${fromUnit} must be a non-keyframe with a keyframe after it`);
  }
  const bytes = new Uint8Array(await readFile(es));
  const nals = splitAnnexB(bytes, codec).map((nal) => ({ ...nal, at: nal.bytes.byteOffset }));
  const isParameterSet = (type: number) => PARAMETER_SETS[codec].includes(type);
  const firstSlice = nals.findIndex(
    (nal) => !isParameterSet(nal.type) && nal.type < (codec === 'h264' ? 6 : 32),
  );
  const parameterSets = nals.slice(0, firstSlice).filter((nal) => isParameterSet(nal.type));
  const from = (unit: number) =>
    annexB(
      [...parameterSets, ...nals.filter((nal) => nal.at >= units[unit]!.pos && !isParameterSet(nal.type))],
      codec,
    );
  return { midGop: from(fromUnit), fromKeyframe: from(keyframeUnit), whole: from(0), keyframeUnit };
}
