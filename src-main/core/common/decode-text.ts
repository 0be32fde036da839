/** How a plain-text file's bytes were decoded. */
export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';
}

/**
 * Decodes the bytes of a user's text file: UTF-8 (BOM stripped), UTF-16 with or without a BOM, and
 * Latin-1 when the bytes are not valid UTF-8 (old Windows/Mac text keeps every byte visible).
 * Returns null for binary data (NUL bytes or many control characters), so callers can say so in
 * their own error type.
 */
export function decodeTextBytes(buf: Uint8Array): DecodedText | null {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(buf.subarray(3)), encoding: 'utf-8' };
  if (buf[0] === 0xff && buf[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)), encoding: 'utf-16be' };
  const n = Math.min(buf.length, 8192);
  let nulEven = 0;
  let nulOdd = 0;
  let ctrl = 0;
  for (let i = 0; i < n; i++) {
    const b = buf[i]!;
    if (b === 0) {
      if (i % 2 === 0) nulEven++;
      else nulOdd++;
    } else if (b < 9 || (b > 13 && b < 32)) ctrl++;
  }
  // UTF-16 text without a BOM: ASCII characters leave a NUL in every other byte.
  if (nulOdd > n * 0.3 && nulEven < n * 0.02)
    return { text: new TextDecoder('utf-16le').decode(buf), encoding: 'utf-16le' };
  if (nulEven > n * 0.3 && nulOdd < n * 0.02)
    return { text: new TextDecoder('utf-16be').decode(buf), encoding: 'utf-16be' };
  if (nulEven + nulOdd > 0 || ctrl > Math.max(2, n * 0.01)) return null;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('latin1').decode(buf), encoding: 'latin1' };
  }
}

/** How much of a text is inspected, as the byte decoder inspects the head of a file. */
const SAMPLE_CHARS = 8192;

/**
 * Whether a text that arrived as a string (pasted, piped, sent to the API, scored by the detector)
 * is binary data, by the same rule decodeTextBytes applies to files: any NUL, or more control
 * characters than plain text has. Decoded text never contains NUL, so a string with one came from
 * bytes that skipped the decoder.
 */
export function textLooksBinary(text: string): boolean {
  if (text.includes('\0')) return true;
  const n = Math.min(text.length, SAMPLE_CHARS);
  // Control characters keep their byte value and everything else reads as 'A', so the decoder's
  // control-character threshold decides, unchanged.
  const sample = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    sample[i] = c < 32 ? c : 0x41;
  }
  return decodeTextBytes(sample) === null;
}
