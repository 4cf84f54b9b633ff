/**
 * Protection (ISO/IEC 14496-12 8.12, 23001-7, PIFF 1.1): sinf, frma, schm,
 * schi, tenc, senc, saiz, saio, pssh and the PIFF `uuid` boxes (Bento4's
 * Ap4FrmaAtom.cpp, Ap4SchmAtom.cpp, Ap4CommonEncryption.cpp, Ap4SaizAtom.cpp,
 * Ap4SaioAtom.cpp, Ap4PsshAtom.cpp, Ap4Piff.cpp).
 */
import {
  type Box,
  type OriginalFormatBox,
  type PiffTrackEncryptionBox,
  PiffUsertype,
  type ProtectionSystemSpecificHeaderBox,
  type SampleAuxiliaryInformationOffsetsBox,
  type SampleAuxiliaryInformationSizesBox,
  type SampleEncryptionBox,
  type SchemeTypeBox,
  SENC_OVERRIDE_TRACK_ENCRYPTION_BOX_PARAMS,
  SENC_USE_SUBSAMPLE_ENCRYPTION,
  type SencSample,
  type TrackEncryptionBox,
  type TrackFragmentExtendedHeaderBox,
  type TrackFragmentReferenceBox,
} from '@rec/fmp4-boxes';
import type { Inspector } from '../inspect/Inspector.js';
import type { BoxFormat, FormatTable } from './BoxFormat.js';
import { NOT_IN_BENTO4 } from './BoxFormat.js';
import { fourccValue, hexToBytes } from './values.js';

function trackEncryption(box: TrackEncryptionBox, out: Inspector): void {
  // "the spelling of these fields is inconsistent, but that's how it appears in the spec!" (Bento4)
  out.int('default_isProtected', box.defaultIsProtected);
  out.int('default_Per_Sample_IV_Size', box.defaultPerSampleIvSize);
  out.bytes('default_KID', hexToBytes(box.defaultKid));
  if (box.version >= 1) {
    out.int('default_crypt_byte_block', box.defaultCryptByteBlock ?? 0);
    out.int('default_skip_byte_block', box.defaultSkipByteBlock ?? 0);
  }
  if (box.defaultPerSampleIvSize === 0) {
    const iv = box.defaultConstantIv ?? new Uint8Array(0);
    out.int('default_constant_IV_size', iv.length);
    if (iv.length <= 16) out.bytes('default_constant_IV', iv);
  }
}

/**
 * senc (23001-7 7.2) and PIFF's SampleEncryptionBox: the IV size is the one
 * the reader found (the track's tenc, else the size that fills the box);
 * Bento4 always guesses, and prints nothing past the count when its guess fails.
 */
function sampleEncryption(box: SampleEncryptionBox, out: Inspector, ancestors: readonly Box[]): void {
  if (box.flags & SENC_OVERRIDE_TRACK_ENCRYPTION_BOX_PARAMS) {
    out.int('AlgorithmID', box.algorithmId ?? 0);
    out.int('IV_size', box.perSampleIvSize ?? 0);
    out.bytes('KID', hexToBytes(box.kid ?? ''));
  }
  out.int('sample info count', box.sampleCount);
  if (out.verbosity < 2 || !box.samples) return;
  out.int('IV Size (inferred)', box.ivSize ?? 0);
  if (out.all && box.ivSizeFrom) out.str('IV Size from', box.ivSizeFrom);
  const subsamples = (box.flags & SENC_USE_SUBSAMPLE_ENCRYPTION) !== 0;
  out.startArray('sample info entries');
  const samples =
    box.samples.length === 0 && box.ivSize === 0 && !subsamples ? ivLessSamples(box, ancestors) : box.samples;
  for (const sample of samples) {
    out.startObject(null, false);
    out.bytes('info', sample.iv);
    if (subsamples) {
      out.startArray('sub entries');
      for (const sub of sample.subsamples ?? []) {
        out.startObject(null, true);
        out.int('bytes_of_clear_data', sub.bytesOfClearData);
        out.int('bytes_of_encrypted_data', sub.bytesOfProtectedData);
        out.endObject();
      }
      out.endArray();
    }
    out.endObject();
  }
  out.endArray();
}

/**
 * The entries of a senc whose samples carry nothing (a constant IV, no
 * subsamples: cbcs audio), which the reader does not list; Bento4 prints
 * one empty entry per sample. Bounded by the samples of the track
 * fragment's runs, so that a huge sample_count in a 16-byte box cannot
 * make the dump print billions of lines.
 */
function ivLessSamples(box: SampleEncryptionBox, ancestors: readonly Box[]): SencSample[] {
  let runs = 0;
  for (const sibling of ancestors.at(-1)?.children ?? []) {
    if (sibling.type === 'trun') runs += (sibling as { entries?: unknown[] }).entries?.length ?? 0;
  }
  const empty = new Uint8Array(0);
  return Array.from({ length: Math.min(box.sampleCount, runs) }, () => ({ iv: empty }));
}

function auxInfoType(
  box: { flags: number; auxInfoType?: string; auxInfoTypeParameter?: number },
  out: Inspector,
) {
  if (box.flags & 1) {
    out.hex('aux info type', fourccValue(box.auxInfoType ?? ''));
    out.hex('aux info type parameter', box.auxInfoTypeParameter ?? 0);
  }
}

function pssh(box: ProtectionSystemSpecificHeaderBox, out: Inspector): void {
  out.bytes('system_id', hexToBytes(box.systemId));
  out.int('data_size', box.data.length);
  if (box.version > 0) {
    box.kids?.forEach((kid, i) => {
      out.bytes(`kid ${i}`, hexToBytes(kid));
    });
  }
  if (out.verbosity >= 1) out.bytes('data', box.data);
}

const piffFormats: Record<string, BoxFormat> = {
  [PiffUsertype.SampleEncryption]: { fields: sampleEncryption as unknown as BoxFormat['fields'] },
  [PiffUsertype.TrackEncryption]: {
    fields(box, out) {
      // Bento4 prints PIFF's track encryption box with tenc's names (its class derives from tenc's).
      const piff = box as PiffTrackEncryptionBox;
      out.int('default_isProtected', piff.defaultAlgorithmId);
      out.int('default_Per_Sample_IV_Size', piff.defaultIvSize);
      out.bytes('default_KID', hexToBytes(piff.defaultKid));
      if (piff.defaultIvSize === 0) {
        out.int('default_constant_IV_size', 0);
        out.bytes('default_constant_IV', new Uint8Array(0));
      }
    },
  },
  [PiffUsertype.ProtectionSystemSpecificHeader]: {
    bento4: NOT_IN_BENTO4,
    fields: pssh as unknown as BoxFormat['fields'],
  },
  [PiffUsertype.TrackFragmentExtendedHeader]: {
    bento4: NOT_IN_BENTO4,
    fields(box, out) {
      const tfxd = box as TrackFragmentExtendedHeaderBox;
      out.int('fragment_absolute_time', tfxd.fragmentAbsoluteTime);
      out.int('fragment_duration', tfxd.fragmentDuration);
    },
  },
  [PiffUsertype.TrackFragmentReference]: {
    bento4: NOT_IN_BENTO4,
    fields(box, out) {
      const tfrf = box as TrackFragmentReferenceBox;
      out.int('fragment_count', tfrf.fragments.length);
      out.startArray('entries');
      for (const fragment of tfrf.fragments) {
        out.startObject(null, true);
        out.int('fragment_absolute_time', fragment.fragmentAbsoluteTime);
        out.int('fragment_duration', fragment.fragmentDuration);
        out.endObject();
      }
      out.endArray();
    },
  },
};

/** The format of a `uuid` box by its usertype (undefined: a uuid we do not decode). */
export const uuidFormat = (box: Box): BoxFormat | undefined =>
  box.usertype === undefined || !('flags' in box) ? undefined : piffFormats[box.usertype];

export const protectionFormats: FormatTable = {
  sinf: {},
  schi: {},
  frma: {
    fields(box: OriginalFormatBox, out) {
      out.str('original_format', box.originalFormat);
    },
  },
  schm: {
    fields(box: SchemeTypeBox, out) {
      out.str('scheme_type', box.schemeType);
      out.int(box.shortForm ? 'scheme_version (short)' : 'scheme_version', box.schemeVersion);
      if (box.flags & 1) out.str('scheme_uri', box.schemeUri ?? '');
    },
  },
  tenc: { fields: trackEncryption },
  senc: { fields: sampleEncryption },
  saiz: {
    fields(box: SampleAuxiliaryInformationSizesBox, out) {
      auxInfoType(box, out);
      out.int('default sample info size', box.defaultSampleInfoSize);
      out.int('sample count', box.sampleCount);
      if (out.verbosity >= 2) {
        out.startArray('entries');
        for (const size of box.entries) out.int(null, size);
        out.endArray();
      }
    },
  },
  saio: {
    fields(box: SampleAuxiliaryInformationOffsetsBox, out) {
      auxInfoType(box, out);
      out.int('entry_count', box.entries.length);
      if (out.verbosity >= 2) {
        out.startArray('entries');
        for (const offset of box.entries) out.int(null, offset);
        out.endArray();
      }
    },
  },
  pssh: { fields: pssh },
};
