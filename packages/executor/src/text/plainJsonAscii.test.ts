import { isPlainJsonAscii } from './plainJsonAscii';

describe('isPlainJsonAscii', () => {
  it('is true exactly when JSON.stringify adds nothing but the quotes and UTF-8 one byte per character', () => {
    for (let code = 0; code < 0x110; code++) {
      const text = `a${String.fromCharCode(code)}b`;
      const plain = JSON.stringify(text) === `"${text}"` && Buffer.byteLength(text) === text.length;
      expect([code, isPlainJsonAscii(text)]).toEqual([code, plain]);
    }
    expect(isPlainJsonAscii('')).toBe(true);
    expect(isPlainJsonAscii('value 12')).toBe(true);
    expect(isPlainJsonAscii('😀')).toBe(false);
  });
});
