import { FanoutError } from '../errors/index.ts';
import { Growable } from './growable.ts';

/**
 * Byte-level parsers for the text layouts graphs ship in (CSV, TSV, SNAP edge lists). They walk the decompressed chunks
 * once with a small state machine and append straight into typed arrays: no line strings, no per-edge objects. Fields
 * are separated by commas, tabs or spaces; `#` starts a comment line; blank lines are skipped. Every error names the
 * file and the line.
 */

const NL = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const COMMA = 44;
const HASH = 35;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const LOWER_E = 101;
const UPPER_E = 69;
const MAX_INT32 = 2_147_483_647;
const NAN_LETTERS = [110, 97, 110]; // 'n', 'a', 'n'

function fail(file: string, line: number, what: string): never {
  throw new FanoutError('INVALID_INPUT', `${file}: line ${line}: ${what}`);
}

function describe(c: number): string {
  return c >= 33 && c < 127 ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

export interface IntTableOptions {
  /** Fields each non-blank line must have. */
  columns: number;
  /** Name for error messages. */
  file: string;
  /** When set, a `nan` field (any case) reads as this value (OGB marks unlabelled nodes so). */
  nanAs?: number;
}

/** Non-negative 32-bit integers, `columns` per line, as one Int32Array per column. */
export async function parseIntTable(
  chunks: AsyncIterable<Uint8Array>,
  options: IntTableOptions,
): Promise<Int32Array[]> {
  const { columns, file, nanAs } = options;
  const out = Array.from({ length: columns }, () => new Growable((n) => new Int32Array(n)));
  let line = 1;
  let field = 0;
  let value = 0;
  let inNumber = false;
  let inWord = 0; // letters of a `nan` seen so far
  let inComment = false;
  let atLineStart = true;

  const endField = () => {
    if (field >= columns) fail(file, line, `expected ${columns} field${columns > 1 ? 's' : ''}, found more`);
    if (inWord) {
      if (inWord !== 3) fail(file, line, 'expected an integer');
      out[field].push(nanAs!);
    } else {
      out[field].push(value);
    }
    field++;
    value = 0;
    inNumber = false;
    inWord = 0;
  };
  const endLine = () => {
    if (field !== 0 && field !== columns)
      fail(file, line, `expected ${columns} field${columns > 1 ? 's' : ''}, found ${field}`);
    field = 0;
    atLineStart = true;
  };

  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (inComment) {
        if (c === NL) {
          inComment = false;
          line++;
        }
        continue;
      }
      if (c >= ZERO && c <= NINE && !inWord) {
        value = value * 10 + (c - ZERO);
        if (value > MAX_INT32) fail(file, line, `ID or value ${value}… does not fit in a 32-bit signed integer`);
        inNumber = true;
        atLineStart = false;
      } else if (c === COMMA || c === TAB || c === SPACE || c === CR) {
        if (inNumber || inWord) endField();
        else if (c === COMMA) fail(file, line, 'empty field');
      } else if (c === NL) {
        if (inNumber || inWord) endField();
        endLine();
        line++;
      } else if (c === HASH && atLineStart) {
        inComment = true;
      } else if (c === MINUS) {
        fail(file, line, 'negative value: IDs and labels must be non-negative integers');
      } else if (nanAs !== undefined && !inNumber && inWord < 3 && (c | 0x20) === NAN_LETTERS[inWord]) {
        inWord++;
        atLineStart = false;
      } else {
        fail(file, line, `unexpected ${describe(c)}: expected a non-negative integer`);
      }
    }
  }
  if (inNumber || inWord) endField();
  endLine();
  return out.map((g) => g.finish());
}

export interface FloatRows {
  rows: number;
  dim: number;
  data: Float32Array;
}

/** Decimal powers for exact scaling of short mantissas. */
const POW10 = Float64Array.from({ length: 309 }, (_, k) => 10 ** k);

/** Rows of finite decimal numbers (feature matrices), all of one width; a ragged row is an error. */
export async function parseFloatRows(chunks: AsyncIterable<Uint8Array>, file: string): Promise<FloatRows> {
  const out = new Growable((n) => new Float32Array(n), 1 << 20);
  let line = 1;
  let rows = 0;
  let dim = -1;
  let field = 0;
  // number state: mantissa digits, digits after the point, exponent
  let inNumber = false;
  let negative = false;
  let mantissa = 0;
  let digits = 0;
  let fraction = -1; // -1: no point seen; else digits after the point
  let exponent = -1; // -1: no exponent; else its magnitude
  let expNegative = false;
  let expDigits = 0;
  let inComment = false;
  let atLineStart = true;

  const endField = () => {
    if (digits === 0 || (exponent >= 0 && expDigits === 0)) fail(file, line, 'malformed number');
    const scale = (expNegative ? -Math.max(exponent, 0) : Math.max(exponent, 0)) - Math.max(fraction, 0);
    let v =
      scale >= 0
        ? mantissa * (POW10[Math.min(scale, 308)] ?? Infinity)
        : mantissa / (POW10[Math.min(-scale, 308)] ?? Infinity);
    if (negative) v = -v;
    if (!Number.isFinite(Math.fround(v))) fail(file, line, 'number out of float32 range');
    out.push(v);
    field++;
    inNumber = false;
    negative = false;
    mantissa = 0;
    digits = 0;
    fraction = -1;
    exponent = -1;
    expNegative = false;
    expDigits = 0;
  };
  const endLine = () => {
    if (field === 0) return;
    if (dim < 0) dim = field;
    else if (field !== dim) fail(file, line, `ragged row: ${field} values where the first row has ${dim}`);
    rows++;
    field = 0;
  };

  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (inComment) {
        if (c === NL) {
          inComment = false;
          line++;
          atLineStart = true;
        }
        continue;
      }
      if (c >= ZERO && c <= NINE) {
        if (exponent >= 0) {
          exponent = exponent * 10 + (c - ZERO);
          expDigits++;
        } else {
          mantissa = mantissa * 10 + (c - ZERO);
          digits++;
          if (fraction >= 0) fraction++;
        }
        inNumber = true;
        atLineStart = false;
      } else if (c === COMMA || c === TAB || c === SPACE || c === CR || c === NL) {
        if (inNumber) endField();
        else if (c === COMMA) fail(file, line, 'empty field');
        if (c === NL) {
          endLine();
          line++;
          atLineStart = true;
        }
      } else if ((c === MINUS || c === PLUS) && (!inNumber || (exponent >= 0 && expDigits === 0))) {
        if (exponent >= 0) expNegative = c === MINUS;
        else negative = c === MINUS;
        inNumber = true;
      } else if (c === DOT && fraction < 0 && exponent < 0) {
        fraction = 0;
        inNumber = true;
      } else if ((c === LOWER_E || c === UPPER_E) && digits > 0 && exponent < 0) {
        exponent = 0;
      } else if (c === HASH && atLineStart) {
        inComment = true;
      } else {
        fail(file, line, `unexpected ${describe(c)}: expected a decimal number`);
      }
    }
  }
  if (inNumber) endField();
  endLine();
  return { rows, dim: Math.max(dim, 0), data: out.finish() };
}
