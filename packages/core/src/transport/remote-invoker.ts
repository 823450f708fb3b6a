import pLimit, { type LimitFunction } from 'p-limit';
import { FanoutError } from '../errors/index.ts';
import type { HopRequest, HopResponse } from '../sampling/hop.ts';
import { CallPolicy, type CallPolicyOptions, type CallStats, RESILIENT_POLICY, sizeClass } from './call-policy.ts';
import { decodeResponse, encodeRequest, responseFrameBytes } from './frame.ts';
import type { Invoker, InvokeTrace } from './invoker.ts';

/** A way to carry request frames to a hop function and its response frames back (Lambda Invoke, HTTP POST). */
export interface FrameChannel {
  readonly name: string;
  /** Largest request and response a call can carry, in frame bytes (Lambda: 6 MB of base64 JSON each way). */
  readonly maxRequestBytes: number;
  readonly maxResponseBytes: number;
  /** Where a partition's requests go (a function name, a server URL): requests to one destination may share a call. */
  destination(part: number): string;
  /** One call: the frames go to `destination` together, and their responses come back in the same order. */
  send(destination: string, frames: ArrayBuffer[], signal: AbortSignal): Promise<ArrayBuffer[]>;
  close?(): Promise<void>;
}

export interface RemoteInvokerOptions extends CallPolicyOptions {
  /** Calls in flight at once through this invoker (default 64). */
  concurrency?: number;
  /**
   * Requests issued together for the same destination share one call (default true): a hop's requests to the
   * partitions one function serves become one invocation, halving invocations (and their price) with 2 partitions
   * per function. Off: one call per request, the most parallelism.
   */
  coalesce?: boolean;
}

export interface RemoteInvokerStats extends CallStats {
  /** Request and response frame bytes over the wire, before any transport encoding. */
  bytesSent: number;
  bytesReceived: number;
}

interface Queued {
  request: HopRequest;
  trace?: InvokeTrace;
  frame: ArrayBuffer;
  resolve: (response: HopResponse) => void;
  reject: (error: unknown) => void;
}

/**
 * An Invoker for hop functions in other processes: binary frames over a channel, concurrency bounded with p-limit,
 * each call under a CallPolicy (timeout, jittered retries within a time budget, hedging). Requests issued in the same turn of the event
 * loop for the same destination are coalesced into one call, within the channel's payload limits.
 *
 * Responses stay inside the channel's payload limit by splitting on the caller's side, never by spilling to object
 * storage: a request whose worst case (nodes × fanout) cannot fit is cut into slices, and a function whose actual
 * answer would not fit (fanout -1 on hubs) answers a prefix of the nodes, the rest being asked again. Splitting costs
 * an invocation per slice; spilling would cost a PUT, a GET, their latency and a cleanup rule for every large answer.
 * The determinism contract makes the slices' answers, concatenated, equal to the whole.
 */
export class RemoteInvoker implements Invoker {
  readonly name: string;
  private readonly policy: CallPolicy;
  private readonly limit: LimitFunction;
  private readonly coalesce: boolean;
  private readonly queues = new Map<string, Queued[]>();
  private flushScheduled = false;
  private bytesSent = 0;
  private bytesReceived = 0;

  constructor(
    private readonly channel: FrameChannel,
    options: RemoteInvokerOptions = {},
  ) {
    this.name = channel.name;
    // Retries within a time budget by default, not a small fixed count (RESILIENT_POLICY); options override it.
    this.policy = new CallPolicy({ ...RESILIENT_POLICY, ...options });
    this.limit = pLimit(options.concurrency ?? 64);
    this.coalesce = options.coalesce ?? true;
  }

  async invoke(request: HopRequest, trace?: InvokeTrace): Promise<HopResponse> {
    const slice = nodesThatFit(request, this.channel.maxResponseBytes);
    const n = request.nodes.length;
    if (n <= slice) return this.invokeToEnd(request, trace);
    const slices: Promise<HopResponse>[] = [];
    for (let from = 0; from < n; from += slice)
      slices.push(this.invokeToEnd(sliceRequest(request, from, from + slice), trace));
    return concatResponses(await Promise.all(slices), request.edgeIds);
  }

  stats(): RemoteInvokerStats {
    return { ...this.policy.stats(), bytesSent: this.bytesSent, bytesReceived: this.bytesReceived };
  }

  async close(): Promise<void> {
    await this.channel.close?.();
  }

  /** Sends the request; while the function answers only a prefix of its nodes, asks again for the rest. */
  private async invokeToEnd(request: HopRequest, trace?: InvokeTrace): Promise<HopResponse> {
    const parts: HopResponse[] = [];
    let from = 0;
    const n = request.nodes.length;
    do {
      const response = await this.send(from === 0 ? request : sliceRequest(request, from, n), trace);
      parts.push(response);
      from += response.counts.length;
      if (response.counts.length === 0 && from < n) {
        throw new FanoutError('TRANSPORT_ERROR', `${this.name}: a hop function answered none of the request's nodes`, {
          retryable: false,
        });
      }
    } while (from < n);
    return parts.length === 1 ? parts[0] : concatResponses(parts, request.edgeIds);
  }

  /** Queues the request for its destination; the queues go out once this turn of the event loop is over. */
  private send(request: HopRequest, trace?: InvokeTrace): Promise<HopResponse> {
    return new Promise((resolve, reject) => {
      const destination = this.channel.destination(request.part);
      const queue = this.queues.get(destination) ?? [];
      this.queues.set(destination, queue);
      queue.push({ request, trace, frame: encodeRequest(request), resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Cuts each destination's queue into calls that fit the channel's limits (one request per call without coalescing). */
  private flush(): void {
    this.flushScheduled = false;
    for (const [destination, queue] of this.queues) {
      let group: Queued[] = [];
      let requestBytes = 0;
      let responseBytes = 0;
      for (const item of queue) {
        const worst = worstCaseResponseBytes(item.request);
        const fits =
          this.coalesce &&
          requestBytes + item.frame.byteLength <= this.channel.maxRequestBytes &&
          responseBytes + worst <= this.channel.maxResponseBytes;
        if (group.length > 0 && !fits) {
          this.call(destination, group);
          group = [];
          requestBytes = 0;
          responseBytes = 0;
        }
        group.push(item);
        requestBytes += item.frame.byteLength;
        responseBytes += worst;
      }
      if (group.length > 0) this.call(destination, group);
    }
    this.queues.clear();
  }

  /**
   * One call for a group, retried and hedged as a whole. A typed error in one response frame fails that request
   * alone, unless it may pass (then the call is tried again); a failed call fails the group.
   */
  private call(destination: string, group: Queued[]): void {
    const work = group.reduce((w, g) => w + g.request.nodes.length * Math.max(1, g.request.fanout), 0);
    this.limit(() =>
      this.policy.run(async (signal) => {
        const frames = group.map((g) => g.frame);
        for (const trace of new Set(group.map((g) => g.trace))) if (trace) trace.calls++;
        for (const f of frames) this.bytesSent += f.byteLength;
        const out = await this.channel.send(destination, frames, signal);
        for (const f of out) this.bytesReceived += f.byteLength;
        if (out.length !== group.length && out.length !== 1) {
          throw new FanoutError(
            'TRANSPORT_ERROR',
            `${this.name}: ${destination} answered ${out.length} frames to ${group.length} requests`,
            { retryable: false },
          );
        }
        // One frame for several requests is an error about the whole call (a malformed envelope).
        return group.map((_, i) => {
          try {
            return { response: decodeResponse(out[out.length === 1 ? 0 : i]) };
          } catch (error) {
            if (error instanceof FanoutError && error.retryable) throw error;
            return { error };
          }
        });
      }, sizeClass(work)),
    ).then(
      (results) =>
        results.forEach((r, i) => {
          if (r.response) group[i].resolve(r.response);
          else group[i].reject(r.error);
        }),
      (error: unknown) => {
        for (const g of group) g.reject(error);
      },
    );
  }
}

/** The largest response a request can get (unbounded for fanout -1). */
function worstCaseResponseBytes(request: HopRequest): number {
  if (request.fanout < 0) return Number.POSITIVE_INFINITY;
  const n = request.nodes.length;
  return responseFrameBytes(n, n * request.fanout, request.edgeIds ? 2 : 0);
}

/** Nodes per request whose worst-case response fits `maxBytes` (unbounded for fanout -1: see invokeToEnd). */
function nodesThatFit(request: HopRequest, maxBytes: number): number {
  if (request.fanout < 0) return Number.POSITIVE_INFINITY;
  const perNode = 4 + request.fanout * (request.edgeIds ? 12 : 4);
  return Math.max(1, Math.floor((maxBytes - responseFrameBytes(0, 0, request.edgeIds ? 2 : 0) - 24) / perNode));
}

function sliceRequest(request: HopRequest, from: number, to: number): HopRequest {
  return { ...request, nodes: request.nodes.subarray(from, to), rows: request.rows?.subarray(from, to) };
}

function concatResponses(parts: HopResponse[], edgeIds: boolean): HopResponse {
  let nodes = 0;
  let edges = 0;
  for (const p of parts) {
    nodes += p.counts.length;
    edges += p.nbr.length;
  }
  const wide = parts.some((p) => p.eidHi);
  const out: HopResponse = {
    counts: new Int32Array(nodes),
    nbr: new Int32Array(edges),
    eidLo: new Int32Array(edgeIds ? edges : 0),
  };
  if (wide) out.eidHi = new Int32Array(edges);
  nodes = 0;
  edges = 0;
  for (const p of parts) {
    out.counts.set(p.counts, nodes);
    out.nbr.set(p.nbr, edges);
    if (edgeIds) out.eidLo.set(p.eidLo, edges);
    if (p.eidHi) out.eidHi!.set(p.eidHi, edges);
    nodes += p.counts.length;
    edges += p.nbr.length;
  }
  return out;
}
