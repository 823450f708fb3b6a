import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FunctionRuntime } from './function-runtime.ts';

describe('local Lambda functions', () => {
  let dir: string;
  let runtime: FunctionRuntime;
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fanout-functions-'));
    const module = join(dir, 'echo.mjs');
    await writeFile(
      module,
      `export const handler = async (event) => {
         if (event.fail) throw new TypeError('asked to fail');
         if (event.sleepMs) await new Promise((r) => setTimeout(r, event.sleepMs));
         return { echo: event };
       };`,
    );
    runtime = new FunctionRuntime({ echo: { module: pathToFileURL(module).href, timeoutSec: 0.5 } });
  });
  after(async () => {
    await runtime.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers with the JSON of what the handler returns', async () => {
    const result = await runtime.invoke('echo', { a: [1, 2] });
    assert.ok(result.ok);
    assert.deepEqual(JSON.parse(text(result.payload)), { echo: { a: [1, 2] } });
  });

  it("copies an event that is a view on part of the caller's buffer, leaving the buffer to its owner", async () => {
    const json = Buffer.from('{"b":3}');
    const owner = new ArrayBuffer(64);
    const view = Buffer.from(owner, 8, json.length);
    json.copy(view);
    const result = await runtime.invoke('echo', view);
    assert.ok(result.ok);
    assert.deepEqual(JSON.parse(text(result.payload)), { echo: { b: 3 } });
    assert.equal(owner.byteLength, 64, 'the owner still has its buffer');
    assert.equal(view.toString(), '{"b":3}');
  });

  it('reports a throwing handler as an Unhandled function error, and bad JSON as an invalid request', async () => {
    const failed = await runtime.invoke('echo', { fail: true });
    assert.ok(!failed.ok && 'errorType' in failed);
    assert.equal(failed.errorType, 'Unhandled');
    assert.equal(JSON.parse(text(failed.payload)).errorType, 'TypeError');
    const invalid = await runtime.invoke('echo', Buffer.from('{not json'));
    assert.deepEqual(invalid, { ok: false, invalidRequest: true });
  });

  it('times a slow handler out and serves the next event from a fresh container', async () => {
    const slow = await runtime.invoke('echo', { sleepMs: 5_000 });
    assert.ok(!slow.ok && 'errorType' in slow);
    assert.equal(JSON.parse(text(slow.payload)).errorType, 'Sandbox.Timedout');
    const next = await runtime.invoke('echo', { c: 1 });
    assert.ok(next.ok);
  });
});
