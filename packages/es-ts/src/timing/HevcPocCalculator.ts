import { isHevcIrap, isHevcRadl, isHevcRasl, isHevcSubLayerNonRef } from '../bitstream/hevc/HevcNalType.js';
import type { HevcSliceHeader } from '../bitstream/hevc/parseHevcSliceHeader.js';

/** PicOrderCntVal of ITU-T H.265 8.3.1, once per picture in decoding order. */
export class HevcPocCalculator {
  /** prevTid0Pic's PicOrderCntVal. */
  #prevTid0Poc = 0;

  compute(slice: HevcSliceHeader, log2MaxPicOrderCntLsb: number, noRaslOutputFlag: boolean): number {
    const maxLsb = 2 ** log2MaxPicOrderCntLsb;
    const lsb = slice.picOrderCntLsb;
    let msb: number;
    if (isHevcIrap(slice.nalType) && noRaslOutputFlag) msb = 0;
    else {
      const prevLsb = this.#prevTid0Poc & (maxLsb - 1);
      const prevMsb = this.#prevTid0Poc - prevLsb;
      if (lsb < prevLsb && prevLsb - lsb >= maxLsb / 2) msb = prevMsb + maxLsb;
      else if (lsb > prevLsb && lsb - prevLsb > maxLsb / 2) msb = prevMsb - maxLsb;
      else msb = prevMsb;
    }
    const poc = msb + lsb;
    const t = slice.nalType;
    if (slice.temporalId === 0 && !isHevcRasl(t) && !isHevcRadl(t) && !isHevcSubLayerNonRef(t)) {
      this.#prevTid0Poc = poc;
    }
    return poc;
  }
}
