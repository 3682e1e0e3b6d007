/**
 * Decoding for path confinement: what a path may *mean* once something downstream decodes it. Percent-escapes
 * are decoded as bytes and the bytes as UTF-8 **including overlong forms** (`%c0%af` and `%e0%80%af` are `/`,
 * `%c0%ae` is `.`), which strict decoders refuse and old servers accepted; IIS-style `%u002e` escapes too.
 * Decoding repeats until nothing changes (at most `MAX_ROUNDS`), so `%252e%252e%252f` is `../`. Linear in the
 * length of the input.
 */

const MAX_ROUNDS = 4;
const PERCENT = /%(?:[0-9a-f]{2}|u[0-9a-f]{4})/i;

const HEX_DIGITS = /^[0-9a-f]+$/i;

/** The number spelled by `digits` hex digits at `at`, or -1 (parseInt alone would accept "2g" as 2). */
function hex(value: string, at: number, digits: number): number {
  const text = value.slice(at, at + digits);
  return text.length === digits && HEX_DIGITS.test(text) ? parseInt(text, 16) : -1;
}

/** Decodes one run of percent-escaped bytes leniently (overlong sequences accepted, invalid ones as U+FFFD). */
function decodeBytes(bytes: readonly number[]): string {
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc0 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf8 ? 3 : -1;
    if (need < 0) {
      out += '\ufffd';
      i++;
      continue;
    }
    let code = need === 0 ? b : b & (0x3f >> need);
    let ok = i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else code = (code << 6) | (c & 0x3f);
    }
    if (!ok || code > 0x10ffff) {
      out += '\ufffd';
      i++;
      continue;
    }
    out += String.fromCodePoint(code);
    i += need + 1;
  }
  return out;
}

/** One round: every run of `%XX` escapes decoded as UTF-8 bytes, every `%uXXXX` as a UTF-16 unit. */
function decodeRound(value: string): string {
  let out = '';
  let i = 0;
  while (i < value.length) {
    const at = value.indexOf('%', i);
    if (at === -1) {
      out += value.slice(i);
      break;
    }
    out += value.slice(i, at);
    i = at;
    const bytes: number[] = [];
    while (i < value.length && value.charCodeAt(i) === 37) {
      if ((value.charCodeAt(i + 1) | 32) === 117) {
        const unit = hex(value, i + 2, 4);
        if (unit < 0) break;
        if (bytes.length > 0) out += decodeBytes(bytes.splice(0));
        out += String.fromCharCode(unit);
        i += 6;
        continue;
      }
      const byte = hex(value, i + 1, 2);
      if (byte < 0) break;
      bytes.push(byte);
      i += 3;
    }
    if (bytes.length > 0) out += decodeBytes(bytes);
    else if (value.charCodeAt(i) === 37) {
      out += '%'; // a lone '%': kept as written
      i++;
    }
  }
  return out;
}

/** `value` with percent-encoding (and overlong UTF-8 inside it) undone, repeatedly, until stable. */
export function decodePath(value: string): string {
  let decoded = value;
  for (let round = 0; round < MAX_ROUNDS && PERCENT.test(decoded); round++) {
    const next = decodeRound(decoded);
    if (next === decoded) break;
    decoded = next;
  }
  return decoded;
}
