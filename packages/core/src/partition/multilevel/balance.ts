import type { WeightedGraph } from './weighted-graph.ts';
import { totalWeights } from './weighted-graph.ts';

/**
 * Per-part weight limits: imbalance × the average part weight, per constraint (METIS's ubvec). A limit never falls
 * below the average plus the heaviest node, so a single heavy node can always be placed somewhere.
 */
export class Balance {
  readonly limits: Float64Array;
  readonly partWeights: Float64Array;

  constructor(
    readonly graph: WeightedGraph,
    readonly k: number,
    imbalance: number,
    part?: Int32Array,
  ) {
    const c = graph.constraints;
    const totals = totalWeights(graph);
    const heaviest = new Array<number>(c).fill(0);
    for (let v = 0; v < graph.n; v++)
      for (let i = 0; i < c; i++) heaviest[i] = Math.max(heaviest[i], graph.nodeWeight[v * c + i]);
    this.limits = Float64Array.from(totals, (t, i) => Math.max(imbalance * (t / k), t / k + heaviest[i]));
    this.partWeights = new Float64Array(k * c);
    if (part) this.assign(part);
  }

  assign(part: Int32Array): void {
    const c = this.graph.constraints;
    this.partWeights.fill(0);
    for (let v = 0; v < this.graph.n; v++)
      for (let i = 0; i < c; i++) this.partWeights[part[v] * c + i] += this.graph.nodeWeight[v * c + i];
  }

  /** Whether v fits into part q on every constraint. */
  fits(v: number, q: number): boolean {
    const c = this.graph.constraints;
    for (let i = 0; i < c; i++)
      if (this.partWeights[q * c + i] + this.graph.nodeWeight[v * c + i] > this.limits[i]) return false;
    return true;
  }

  move(v: number, from: number, to: number): void {
    const c = this.graph.constraints;
    for (let i = 0; i < c; i++) {
      const w = this.graph.nodeWeight[v * c + i];
      this.partWeights[from * c + i] -= w;
      this.partWeights[to * c + i] += w;
    }
  }

  /** The largest ratio of a part's weight to its limit over all constraints (≤ 1 when balanced). */
  worstLoad(): number {
    const c = this.graph.constraints;
    let worst = 0;
    for (let q = 0; q < this.k; q++)
      for (let i = 0; i < c; i++) worst = Math.max(worst, this.partWeights[q * c + i] / this.limits[i]);
    return worst;
  }

  overloaded(q: number): boolean {
    const c = this.graph.constraints;
    for (let i = 0; i < c; i++) if (this.partWeights[q * c + i] > this.limits[i]) return true;
    return false;
  }
}
