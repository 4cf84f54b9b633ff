// x264/x265 parameters that give back the encoder's own keyframe placement,
// which test-support's `testVideoEncoder` replaces with fixed GOPs
// (`min-keyint` = `keyint`, `scenecut=0`). In its `params` (after its own)
// they win, and `gop` is then only the longest GOP, as `keyint` is to the
// encoders. The streams these tests were written against were encoded so:
// the same bytes (md5) as before with the helper, with ffmpeg 5.1 and 4.1.

/** `min-keyint` 0: the encoder's automatic minimum GOP. */
export const MIN_KEYINT_AUTO = 'min-keyint=0';
/** Scene cuts at x264's and x265's default threshold (40). */
export const DEFAULT_SCENECUT = 'scenecut=40';
/** x264's and x265's default `keyint` (longest GOP). */
export const DEFAULT_KEYINT = 250;
