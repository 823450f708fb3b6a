/** An append-only typed-array buffer that doubles when full: ingest's only allocation pattern. */
export class Growable<T extends Int32Array | Float32Array> {
  private data: T;
  length = 0;

  constructor(
    private readonly allocate: (length: number) => T,
    capacity = 1 << 16,
  ) {
    this.data = allocate(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = this.allocate(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  /** The values, trimmed to a buffer of their own. */
  finish(): T {
    return this.data.slice(0, this.length) as T;
  }
}
