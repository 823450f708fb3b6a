/** Append-only typed-array buffers that double when full: ingest's only allocation pattern. */
export class GrowableInt32 {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.data = new Int32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }

  /** The values, trimmed to a buffer of their own. */
  finish(): Int32Array {
    return this.data.slice(0, this.length);
  }

  private grow(): void {
    const next = new Int32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
}

export class GrowableFloat32 {
  private data: Float32Array;
  length = 0;

  constructor(capacity = 1 << 16) {
    this.data = new Float32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  finish(): Float32Array {
    return this.data.slice(0, this.length);
  }
}
