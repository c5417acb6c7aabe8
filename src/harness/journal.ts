import { appendFileSync, closeSync, fsyncSync, openSync } from 'node:fs';
import * as autoscaling from '@aws-sdk/client-auto-scaling';
import * as backup from '@aws-sdk/client-backup';
import * as drs from '@aws-sdk/client-drs';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as fis from '@aws-sdk/client-fis';
import * as rds from '@aws-sdk/client-rds';
import * as route53 from '@aws-sdk/client-route-53';
import * as s3 from '@aws-sdk/client-s3';
import type { AwsCall, ExecuteCall, Journal, JournalEntry } from './cleanup.js';
import type { Target } from './target.js';

/**
 * journal.ndjson: one line per entry, written before the call it describes
 * is made. Several cucumber workers append to the same file; each line is one
 * small write, which POSIX appends keep whole. Durable (flushed to disk
 * before the call) where a crash would leave resources to undo: on a real
 * account. The simulator's resources die with the process.
 */
export class FileJournal implements Journal {
  constructor(
    private readonly path: string,
    private readonly options: { durable: boolean },
  ) {}

  append(entry: JournalEntry): void {
    const fd = openSync(this.path, 'a');
    try {
      appendFileSync(fd, `${JSON.stringify(entry)}\n`);
      if (this.options.durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

type CommandClass = new (input: never) => object;

const commands: Record<AwsCall['service'], Record<string, unknown>> = { rds, fis, dynamodb, s3, route53, backup, autoscaling, drs };

/** Replay a journalled call through the target's SDK clients (cleanup, and `gameday cleanup` after a crash). */
export function executorFor(target: Target): ExecuteCall {
  return async (call) => {
    const Command = commands[call.service][`${call.operation}Command`] as CommandClass | undefined;
    if (!Command) throw new Error(`no ${call.service} operation ${call.operation}`);
    const clients = target.clients;
    const client = call.service === 'route53' ? clients.route53() : clients[call.service](call.region);
    return (client as { send(command: object): Promise<unknown> }).send(new Command(call.input as never));
  };
}
