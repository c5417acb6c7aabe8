import { CucumberHtmlStream } from '@cucumber/html-formatter';
import type { Envelope } from '@cucumber/messages';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * cucumber.html, cucumber's own HTML formatter over the run's messages: the
 * raw view of steps and attachments beside gameday's report. Made from
 * messages.ndjson after the run (and again by `gameday report`), so the run
 * itself does not pay for a second formatter on every message.
 */
export async function writeCucumberHtml(messagesFile: string, htmlFile: string): Promise<void> {
  const lines = createInterface({ input: createReadStream(messagesFile, 'utf8'), crlfDelay: Infinity });
  const envelopes = Readable.from(
    (async function* () {
      for await (const line of lines) if (line.trim()) yield JSON.parse(line) as Envelope;
    })(),
    { objectMode: true },
  );
  const partial = `${htmlFile}.partial`;
  await pipeline(envelopes, new CucumberHtmlStream(), createWriteStream(partial));
  await rename(partial, htmlFile);
}
