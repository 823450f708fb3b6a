import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonWriter } from './json-writer.ts';

test('JsonWriter writes integer arrays exactly as JSON.stringify does', () => {
  const powers = Array.from({ length: 10 }, (_, k) => 10 ** k).flatMap((p) => [p - 1, p, -p, 1 - p]);
  const ints = Int32Array.from([...powers, 12345, -2147483648, 2147483647, 1000000000, -999999999]);
  const random = Int32Array.from({ length: 10_000 }, (_, i) => Math.imul(i + 1, 2654435761) | 0);
  const big = BigInt64Array.from([0n, 1n, 99n, 100n, 4294967295n, 4294967296n, 9007199254740993n, -5n, 2147483648n]);
  const text = new TextDecoder().decode(
    new JsonWriter()
      .raw('{"a":')
      .ints(ints)
      .raw(',"r":')
      .ints(random)
      .raw(',"b":')
      .bigints(big)
      .raw(',"e":')
      .ints([])
      .raw('}')
      .finish(),
  );
  const expected = `{"a":${JSON.stringify([...ints])},"r":${JSON.stringify([...random])},"b":[${[...big].join(',')}],"e":[]}`;
  assert.equal(text, expected);
});
