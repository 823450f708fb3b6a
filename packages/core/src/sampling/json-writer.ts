/**
 * JSON text written straight into bytes: integer arrays digit by digit, with no per-element strings. A sample's JSON
 * is mostly millions of small integers, which `Array.prototype.join` turns into as many temporary strings.
 */
export class JsonWriter {
  private bytes: Uint8Array;
  private at = 0;

  /** `capacity`: the expected size, so large documents are written without regrowing (each regrowth is garbage). */
  constructor(capacity = 1 << 16) {
    this.bytes = new Uint8Array(capacity);
  }

  /** ASCII text as is (keys, punctuation, already-serialized JSON). */
  raw(text: string): this {
    this.reserve(text.length * 3);
    this.at += Buffer.from(this.bytes.buffer, this.bytes.byteOffset).write(text, this.at, 'utf8');
    return this;
  }

  /** `[a,b,…]` from 32-bit integers. */
  ints(values: ArrayLike<number>): this {
    this.reserve(2 + 12 * values.length);
    const b = this.bytes;
    let at = this.at;
    b[at++] = 0x5b; // [
    for (let i = 0; i < values.length; i++) {
      if (i > 0) b[at++] = 0x2c; // ,
      at = writeInt(b, at, values[i]);
    }
    b[at++] = 0x5d; // ]
    this.at = at;
    return this;
  }

  /** `[a,b,…]` from 64-bit integers; those past 2^32 (rare: edge IDs of huge graphs) go through BigInt's toString. */
  bigints(values: BigInt64Array): this {
    this.reserve(2 + 21 * values.length);
    const halves = new Int32Array(values.buffer, values.byteOffset, 2 * values.length);
    const b = this.bytes;
    let at = this.at;
    b[at++] = 0x5b;
    for (let i = 0; i < values.length; i++) {
      if (i > 0) b[at++] = 0x2c;
      if (halves[2 * i + 1] === 0) at = writeInt(b, at, halves[2 * i] >>> 0);
      else at += Buffer.from(b.buffer, b.byteOffset).write(values[i].toString(), at, 'latin1');
    }
    b[at++] = 0x5d;
    this.at = at;
    return this;
  }

  /** `[[…],[…],…]`: `values` as rows of `dim` numbers (JavaScript's shortest round-trip spelling of each). */
  rows(values: Float32Array, dim: number): this {
    const rows = dim === 0 ? 0 : values.length / dim;
    this.raw('[');
    for (let r = 0; r < rows; r++) {
      if (r > 0) this.raw(',');
      this.reserve(2 + 26 * dim);
      const view = Buffer.from(this.bytes.buffer, this.bytes.byteOffset);
      this.bytes[this.at++] = 0x5b;
      for (let x = 0; x < dim; x++) {
        if (x > 0) this.bytes[this.at++] = 0x2c;
        const v = values[r * dim + x];
        this.at += view.write(Number.isFinite(v) ? String(v) : 'null', this.at, 'latin1');
      }
      this.bytes[this.at++] = 0x5d;
    }
    return this.raw(']');
  }

  /** The text so far (a view of the writer's buffer). */
  finish(): Uint8Array {
    return this.bytes.subarray(0, this.at);
  }

  private reserve(extra: number): void {
    if (this.at + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.bytes.length, this.at + extra));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
  }
}

/** "00", "01", …, "99" as byte pairs: numbers are written two digits per division. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, i) => 0x30 + (i & 1 ? (i >> 1) % 10 : Math.floor(i / 20)));

/** Writes an integer below 2^32 in magnitude, negative or not; returns the new position. */
function writeInt(b: Uint8Array, at: number, value: number): number {
  let v = value;
  if (v < 0) {
    b[at++] = 0x2d; // -
    v = -v;
  }
  const end = at + decimalDigits(v);
  let i = end;
  while (v >= 100) {
    // v < 2^32, so the quotient truncates exactly to an unsigned 32-bit integer.
    const q = (v / 100) >>> 0;
    const pair = (v - q * 100) << 1;
    b[--i] = DIGIT_PAIRS[pair + 1];
    b[--i] = DIGIT_PAIRS[pair];
    v = q;
  }
  if (v >= 10) {
    b[--i] = DIGIT_PAIRS[(v << 1) + 1];
    b[--i] = DIGIT_PAIRS[v << 1];
  } else b[--i] = 0x30 + v;
  return end;
}

/** Decimal digits of `v` (0 <= v < 2^32): a binary search over the powers of ten, at most four comparisons. */
function decimalDigits(v: number): number {
  if (v < 1e5) {
    if (v < 100) return v < 10 ? 1 : 2;
    return v < 1e3 ? 3 : v < 1e4 ? 4 : 5;
  }
  if (v < 1e7) return v < 1e6 ? 6 : 7;
  return v < 1e8 ? 8 : v < 1e9 ? 9 : 10;
}
