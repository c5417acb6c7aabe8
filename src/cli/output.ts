import { Writable } from 'node:stream';

/**
 * A stream that goes quiet once its reader has gone: `gameday run … | head -1`
 * closes the pipe after one line, and the game day must still run to its
 * end, clean up and write its report (with the exit code it would have had),
 * not die of EPIPE halfway through a fault.
 */
export function quietWhenClosed(stream: Writable): Writable {
  let closed = false;
  // EPIPE, or any other error of an output stream (a full disk under `> file`):
  // the run matters more than its log, and results.json says what happened.
  stream.on('error', () => {
    closed = true;
  });
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, encoding: BufferEncoding, done: (error?: Error | null) => void) {
      if (closed || stream.destroyed || stream.writableEnded) return done();
      stream.write(chunk, encoding);
      done();
    },
  });
}
