import type { H264SliceHeader } from '../bitstream/h264/parseH264SliceHeader.js';
import type { H264Sps } from '../bitstream/h264/parseH264Sps.js';

/**
 * Picture order count of ITU-T H.264 8.2.1: pic_order_cnt_type 0 (8.2.1.1),
 * 1 (8.2.1.2) and 2 (8.2.1.3). Call {@link compute} once per picture (frame
 * or field) in decoding order.
 */
export class H264PocCalculator {
  #prevPicOrderCntMsb = 0;
  #prevPicOrderCntLsb = 0;
  #prevFrameNumOffset = 0;
  #prevFrameNum = 0;

  /**
   * Returns the picture's PicOrderCnt() (Min(Top, Bottom) for a frame, the
   * field's own count for a field) as used for output ordering, which is 0
   * for a picture with memory_management_control_operation 5 (8.2.1, after
   * the marking its counts are rebased to 0).
   */
  compute(slice: H264SliceHeader, sps: H264Sps): number {
    const idr = slice.nalType === 5;
    let top = 0;
    let bottom = 0;
    let frameNumOffset = 0;
    if (sps.picOrderCntType === 0) {
      let prevMsb = this.#prevPicOrderCntMsb;
      let prevLsb = this.#prevPicOrderCntLsb;
      if (idr) {
        prevMsb = 0;
        prevLsb = 0;
      }
      const maxLsb = 2 ** sps.log2MaxPicOrderCntLsb;
      const lsb = slice.picOrderCntLsb;
      let msb: number;
      if (lsb < prevLsb && prevLsb - lsb >= maxLsb / 2) msb = prevMsb + maxLsb;
      else if (lsb > prevLsb && lsb - prevLsb > maxLsb / 2) msb = prevMsb - maxLsb;
      else msb = prevMsb;
      if (!slice.bottomField) top = msb + lsb;
      if (!slice.fieldPic) bottom = top + slice.deltaPicOrderCntBottom;
      else if (slice.bottomField) bottom = msb + lsb;
      if (slice.nalRefIdc !== 0) {
        if (slice.mmco5) {
          // 8.2.1: prevPicOrderCntMsb = 0, prevPicOrderCntLsb = TopFieldOrderCnt after the rebasing (0 for a bottom field).
          this.#prevPicOrderCntMsb = 0;
          this.#prevPicOrderCntLsb = slice.bottomField ? 0 : slice.fieldPic ? 0 : top - Math.min(top, bottom);
        } else {
          this.#prevPicOrderCntMsb = msb;
          this.#prevPicOrderCntLsb = lsb;
        }
      }
    } else {
      const maxFrameNum = 2 ** sps.log2MaxFrameNum;
      if (idr) frameNumOffset = 0;
      else if (this.#prevFrameNum > slice.frameNum) frameNumOffset = this.#prevFrameNumOffset + maxFrameNum;
      else frameNumOffset = this.#prevFrameNumOffset;
      if (sps.picOrderCntType === 1) {
        const cycle = sps.offsetForRefFrame.length;
        let absFrameNum = cycle !== 0 ? frameNumOffset + slice.frameNum : 0;
        if (slice.nalRefIdc === 0 && absFrameNum > 0) absFrameNum--;
        let expected = 0;
        if (absFrameNum > 0) {
          let expectedDeltaPerCycle = 0;
          for (const offset of sps.offsetForRefFrame) expectedDeltaPerCycle += offset;
          const cycleCnt = Math.floor((absFrameNum - 1) / cycle);
          const frameNumInCycle = (absFrameNum - 1) % cycle;
          expected = cycleCnt * expectedDeltaPerCycle;
          for (let i = 0; i <= frameNumInCycle; i++) expected += sps.offsetForRefFrame[i]!;
        }
        if (slice.nalRefIdc === 0) expected += sps.offsetForNonRefPic;
        if (!slice.fieldPic) {
          top = expected + slice.deltaPicOrderCnt0;
          bottom = top + sps.offsetForTopToBottomField + slice.deltaPicOrderCnt1;
        } else if (!slice.bottomField) top = expected + slice.deltaPicOrderCnt0;
        else bottom = expected + sps.offsetForTopToBottomField + slice.deltaPicOrderCnt0;
      } else {
        let temp = 0;
        if (!idr)
          temp =
            slice.nalRefIdc === 0
              ? 2 * (frameNumOffset + slice.frameNum) - 1
              : 2 * (frameNumOffset + slice.frameNum);
        top = temp;
        bottom = temp;
      }
      this.#prevFrameNumOffset = slice.mmco5 ? 0 : frameNumOffset;
      this.#prevFrameNum = slice.mmco5 ? 0 : slice.frameNum;
    }
    if (slice.mmco5) return 0;
    if (!slice.fieldPic) return Math.min(top, bottom);
    return slice.bottomField ? bottom : top;
  }

  reset(): void {
    this.#prevPicOrderCntMsb = 0;
    this.#prevPicOrderCntLsb = 0;
    this.#prevFrameNumOffset = 0;
    this.#prevFrameNum = 0;
  }
}
