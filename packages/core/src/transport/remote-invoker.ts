import pLimit, { type LimitFunction } from 'p-limit';
import { FanoutError } from '../errors/index.ts';
import type { HopRequest, HopResponse } from '../sampling/hop.ts';
import { CallPolicy, type CallPolicyOptions, type CallStats } from './call-policy.ts';
import { decodeResponse, encodeRequest, responseFrameBytes } from './frame.ts';
import type { Invoker } from './invoker.ts';

/** A way to carry one request frame to a hop function and its response frame back (Lambda Invoke, HTTP POST). */
export interface FrameChannel {
  readonly name: string;
  /** Largest response frame the channel can carry (Lambda: 6 MB of base64 JSON). */
  readonly maxResponseBytes: number;
  send(request: HopRequest, frame: ArrayBuffer, signal: AbortSignal): Promise<ArrayBuffer>;
  close?(): Promise<void>;
}

export interface RemoteInvokerOptions extends CallPolicyOptions {
  /** Requests in flight at once through this invoker (default 64). */
  concurrency?: number;
}

export interface RemoteInvokerStats extends CallStats {
  /** Request and response frame bytes over the wire, before any transport encoding. */
  bytesSent: number;
  bytesReceived: number;
}

/**
 * An Invoker for hop functions in other processes: binary frames over a channel, concurrency bounded with p-limit,
 * each call under a CallPolicy (timeout, jittered retries, hedging). It keeps responses inside the channel's payload
 * limit by splitting on the caller's side, never by spilling to object storage: a request whose worst case
 * (nodes × fanout) cannot fit is cut into slices sent in parallel, and a function whose actual answer would not fit
 * (fanout -1 on hubs) answers a prefix of the nodes, the rest being asked again. Splitting costs an invocation per
 * slice; spilling would cost a PUT, a GET, their latency and a cleanup rule for every large answer. The determinism
 * contract makes the slices' answers, concatenated, equal to the whole.
 */
export class RemoteInvoker implements Invoker {
  readonly name: string;
  private readonly policy: CallPolicy;
  private readonly limit: LimitFunction;
  private bytesSent = 0;
  private bytesReceived = 0;

  constructor(
    private readonly channel: FrameChannel,
    options: RemoteInvokerOptions = {},
  ) {
    this.name = channel.name;
    this.policy = new CallPolicy(options);
    this.limit = pLimit(options.concurrency ?? 64);
  }

  async invoke(request: HopRequest): Promise<HopResponse> {
    const slice = nodesThatFit(request, this.channel.maxResponseBytes);
    const n = request.nodes.length;
    if (n <= slice) return this.invokeToEnd(request);
    const slices: Promise<HopResponse>[] = [];
    for (let from = 0; from < n; from += slice)
      slices.push(this.invokeToEnd(sliceRequest(request, from, from + slice)));
    return concatResponses(await Promise.all(slices), request.edgeIds);
  }

  stats(): RemoteInvokerStats {
    return { ...this.policy.stats(), bytesSent: this.bytesSent, bytesReceived: this.bytesReceived };
  }

  async close(): Promise<void> {
    await this.channel.close?.();
  }

  /** Sends the request; while the function answers only a prefix of its nodes, asks again for the rest. */
  private async invokeToEnd(request: HopRequest): Promise<HopResponse> {
    const parts: HopResponse[] = [];
    let from = 0;
    const n = request.nodes.length;
    do {
      const response = await this.send(from === 0 ? request : sliceRequest(request, from, n));
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

  private send(request: HopRequest): Promise<HopResponse> {
    return this.limit(() =>
      this.policy.run(async (signal) => {
        const frame = encodeRequest(request);
        this.bytesSent += frame.byteLength;
        const out = await this.channel.send(request, frame, signal);
        this.bytesReceived += out.byteLength;
        return decodeResponse(out);
      }, sizeClass(request)),
    );
  }
}

/** A request's work, to the nearest power of two (nodes × fanout): hedging compares calls of like size only. */
function sizeClass(request: HopRequest): number {
  return Math.round(Math.log2(1 + request.nodes.length * Math.max(1, request.fanout)));
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
