import { closeSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';

/**
 * A file written in large pieces: a game day sends thousands of small
 * messages (one per probe sample), and a write call each costs more than the
 * message. What is buffered goes to disk when the buffer fills, when `flush()`
 * is called (after each scenario) and when the stream ends, so a crash loses
 * at most the scenario in flight.
 */
export class BufferedFile extends Writable {
  private readonly fd: number;
  private pending: string[] = [];
  private size = 0;

  constructor(
    readonly path: string,
    private readonly limit = 256 * 1024,
  ) {
    super({ decodeStrings: false });
    this.fd = openSync(path, 'w');
  }

  override _write(chunk: string | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    this.pending.push(text);
    this.size += text.length;
    callback(this.size >= this.limit ? this.tryFlush() : null);
  }

  /** Write out what is buffered. */
  flush(): void {
    const error = this.tryFlush();
    if (error) throw error;
  }

  private tryFlush(): Error | null {
    if (this.pending.length === 0) return null;
    const bytes = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.size = 0;
    try {
      for (let written = 0; written < bytes.length; ) written += writeSync(this.fd, bytes, written);
      return null;
    } catch (error) {
      return error as Error;
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    const error = this.tryFlush();
    try {
      closeSync(this.fd);
    } catch (closing) {
      callback(error ?? (closing as Error));
      return;
    }
    callback(error);
  }
}
