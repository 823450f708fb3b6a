import { InvalidArgumentError } from 'commander';

/** Commander argument parsers that reject what is not a whole number in range, with a message naming the bound. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected an integer in [${min}, ${max}], got ${n}`);
    return n;
  };
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

/** A fraction in [0, 1), such as a share of links held out. */
export function fraction(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !(x >= 0 && x < 1))
    throw new InvalidArgumentError(`expected a fraction in [0, 1), got "${value}"`);
  return x;
}
