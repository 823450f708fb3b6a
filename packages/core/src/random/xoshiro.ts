/**
 * xoshiro128** (Blackman & Vigna): a small, fast, seedable stream generator for partitioning and data generation,
 * where draws are consumed in a fixed order. (Sampling uses a counter-based generator instead, so a draw depends on
 * its key and not on the order of work.) A stream is keyed by (seed, purpose): two steps that use the same user seed
 * (say, generating a graph and then partitioning it randomly) must not replay the same sequence, or the second step
 * inherits the first one's structure. State is seeded through splitmix32 so nearby keys give unrelated streams.
 */
export class Xoshiro128 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, purpose: string) {
    let s = (seed >>> 0) ^ fnv1a(purpose);
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 32 bits of randomness. */
  nextFloat(): number {
    return this.nextUint32() * 2.3283064365386963e-10;
  }

  /** A uniform integer in [0, n) for n ≤ 2^32, by scaling 32 random bits (bias at most n / 2^32). */
  nextBelow(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle(values: Int32Array | Float64Array): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextBelow(i + 1);
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
  }
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
