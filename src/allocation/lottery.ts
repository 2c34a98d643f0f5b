/**
 * The lottery that breaks ties in an allocation (issue 11): one number per child, drawn from a
 * published seed, so anyone with the seed and the frozen inputs draws the same numbers. The seed is
 * hashed with SHA-256 into the state of sfc32 (a small, fast generator with good statistical
 * quality); the numbers are a Fisher–Yates shuffle of 0…n−1 — each child gets a distinct number, and
 * every order of the children is equally likely.
 */
import { createHash } from 'node:crypto';

/** A generator of 32-bit unsigned integers from a seed string (sfc32, seeded by SHA-256 of the seed). */
export function generator(seed: string): () => number {
  const h = createHash('sha256').update(seed, 'utf8').digest();
  let a = h.readUInt32LE(0);
  let b = h.readUInt32LE(4);
  let c = h.readUInt32LE(8);
  let d = h.readUInt32LE(12);
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs of a freshly seeded sfc32 are discarded, as its author recommends.
  for (let i = 0; i < 15; i++) next();
  return next;
}

/** An unbiased integer in [0, bound) (rejection sampling: no modulo bias). */
function below(next: () => number, bound: number): number {
  const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound);
  for (;;) {
    const x = next();
    if (x < limit) return x % bound;
  }
}

/** Lottery numbers 0…n−1, one per child in input order, a permutation drawn from `seed`. */
export function lotteryNumbers(n: number, seed: string): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  const next = generator(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = below(next, i + 1);
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}
