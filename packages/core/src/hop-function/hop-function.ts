import { FanoutError } from '../errors/index.ts';
import { HopService } from '../sampling/hop-service.ts';
import { decodeRequest, encodeError, encodeResponse, truncateResponse } from '../transport/frame.ts';

export interface HopFunctionOptions {
  /** Byte budget of the partition cache (default: from the function's memory, see `cacheBudget`). */
  cacheBytes?: number;
  /** Largest response frame to return; a longer answer covers a prefix of the nodes (default: unbounded). */
  maxResponseBytes?: number;
  /**
   * Graph URIs this function may open: requests for graphs outside this prefix are refused, so a caller cannot make
   * the function read other keys (default: any).
   */
  graphsPrefix?: string;
}

/**
 * A hop function: request frames in, response frames out (or error frames carrying a typed error's code), with its
 * partitions in a module-level cache that outlives the invocation. The Lambda handler and the HTTP hop server are
 * thin adapters over it.
 */
export class HopFunction {
  readonly service: HopService;
  private readonly maxResponseBytes: number;
  private readonly graphsPrefix?: string;

  constructor(options: HopFunctionOptions = {}) {
    this.service = new HopService({ cacheBytes: options.cacheBytes });
    this.maxResponseBytes = options.maxResponseBytes ?? Number.POSITIVE_INFINITY;
    this.graphsPrefix = options.graphsPrefix;
  }

  /**
   * The response frames to a call's request frames, in order. The call's response limit is shared out evenly, so a
   * function answering several requests stays inside its transport's payload limit.
   */
  async handleFrames(frames: ArrayBuffer[]): Promise<ArrayBuffer[]> {
    const budget = this.maxResponseBytes / Math.max(1, frames.length);
    const out: ArrayBuffer[] = [];
    for (const frame of frames) out.push(await this.handleFrame(frame, budget));
    return out;
  }

  async handleFrame(frame: ArrayBuffer, maxResponseBytes = this.maxResponseBytes): Promise<ArrayBuffer> {
    try {
      const request = decodeRequest(frame);
      this.checkGraph(request.graph);
      return encodeResponse(truncateResponse(await this.service.handle(request), maxResponseBytes));
    } catch (error) {
      return encodeError(error);
    }
  }

  private checkGraph(uri: string): void {
    const prefix = this.graphsPrefix;
    if (prefix === undefined) return;
    const inside = uri.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`);
    if (!inside || uri.split('/').some((segment) => segment === '..' || segment === '.')) {
      throw new FanoutError('NOT_FOUND', `graph ${uri} is outside this function's prefix ${prefix}`);
    }
  }
}

/**
 * The partition cache budget for a function with `memoryMb` of memory: 60 % of it, leaving the rest to Node itself
 * (~60 MB), the request and response frames and their base64 copies, and the id-map pages read while loading.
 */
export function cacheBudget(memoryMb: number): number {
  return Math.floor(memoryMb * 0.6 * 2 ** 20);
}
