import type { BitReader } from '../BitReader.js';

/** One short-term reference picture set: DeltaPocS0/S1 with UsedByCurrPicS0/S1 (ITU-T H.265 7.4.8). */
export interface ShortTermRps {
  /** Negative POC deltas, closest first. */
  s0: { delta: number; used: boolean }[];
  /** Positive POC deltas, closest first. */
  s1: { delta: number; used: boolean }[];
}

/** NumDeltaPocs (7-71): the pictures of a set. */
const numDeltaPocs = (rps: ShortTermRps): number => rps.s0.length + rps.s1.length;

/** The pictures of a set the current picture references (its part of NumPicTotalCurr, 7-55). */
export const usedByCurrPic = (rps: ShortTermRps): number =>
  rps.s0.filter((p) => p.used).length + rps.s1.filter((p) => p.used).length;

/**
 * st_ref_pic_set(stRpsIdx) (7.3.7), with the derivation of 7.4.8: from an
 * earlier set when inter_ref_pic_set_prediction_flag is 1 (equations 7-61,
 * 7-62), else explicit. `sets` are the SPS's sets before `idx`;
 * `idx === numSets` is the form a slice header carries (delta_idx_minus1).
 */
export function readShortTermRefPicSet(
  r: BitReader,
  idx: number,
  numSets: number,
  sets: readonly ShortTermRps[],
): ShortTermRps {
  if (idx !== 0 && r.flag('inter_ref_pic_set_prediction_flag')) {
    const deltaIdx = idx === numSets ? r.ue('delta_idx_minus1') + 1 : 1;
    if (deltaIdx > idx) r.fail('delta_idx_minus1', `refers to set ${idx - deltaIdx}, before the first`);
    const ref = sets[idx - deltaIdx]!;
    const sign = r.flag('delta_rps_sign');
    const abs = r.ue('abs_delta_rps_minus1') + 1;
    if (abs > 2 ** 15) r.fail('abs_delta_rps_minus1', `expected 0 to 32767, got ${abs - 1}`);
    const deltaRps = sign ? -abs : abs;
    const count = numDeltaPocs(ref);
    const used: boolean[] = [];
    const useDelta: boolean[] = [];
    for (let j = 0; j <= count; j++) {
      used.push(r.flag('used_by_curr_pic_flag'));
      useDelta.push(used[j]! || r.flag('use_delta_flag'));
    }
    // j indexes the reference set's pictures S0 first, then S1, then the reference picture itself (j = count).
    const negatives = ref.s0.length;
    const s0: ShortTermRps['s0'] = [];
    const s1: ShortTermRps['s1'] = [];
    for (let j = ref.s1.length - 1; j >= 0; j--) {
      const delta = ref.s1[j]!.delta + deltaRps;
      if (delta < 0 && useDelta[negatives + j]) s0.push({ delta, used: used[negatives + j]! });
    }
    if (deltaRps < 0 && useDelta[count]) s0.push({ delta: deltaRps, used: used[count]! });
    for (let j = 0; j < negatives; j++) {
      const delta = ref.s0[j]!.delta + deltaRps;
      if (delta < 0 && useDelta[j]) s0.push({ delta, used: used[j]! });
    }
    for (let j = negatives - 1; j >= 0; j--) {
      const delta = ref.s0[j]!.delta + deltaRps;
      if (delta > 0 && useDelta[j]) s1.push({ delta, used: used[j]! });
    }
    if (deltaRps > 0 && useDelta[count]) s1.push({ delta: deltaRps, used: used[count]! });
    for (let j = 0; j < ref.s1.length; j++) {
      const delta = ref.s1[j]!.delta + deltaRps;
      if (delta > 0 && useDelta[negatives + j]) s1.push({ delta, used: used[negatives + j]! });
    }
    if (s0.length > 16 || s1.length > 16) r.fail('st_ref_pic_set', 'more than 16 pictures');
    return { s0, s1 };
  }
  const negative = r.ue('num_negative_pics');
  const positive = r.ue('num_positive_pics');
  if (negative > 16 || positive > 16) r.fail('num_negative_pics', 'expected at most 16 pictures');
  const s0: ShortTermRps['s0'] = [];
  const s1: ShortTermRps['s1'] = [];
  let poc = 0;
  for (let i = 0; i < negative; i++) {
    poc -= r.ue('delta_poc_s0_minus1') + 1;
    s0.push({ delta: poc, used: r.flag('used_by_curr_pic_s0_flag') });
  }
  poc = 0;
  for (let i = 0; i < positive; i++) {
    poc += r.ue('delta_poc_s1_minus1') + 1;
    s1.push({ delta: poc, used: r.flag('used_by_curr_pic_s1_flag') });
  }
  return { s0, s1 };
}
