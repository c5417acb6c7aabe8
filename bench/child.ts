import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { packageRoot } from './root.js';

/** A figure as a bench reports it. */
export type Report = (name: string, value: number, unit: string, note?: string) => void;

/**
 * Run the bench module at `moduleUrl` with `--child` in a process of its own
 * (its heap and start-up measured apart from the other benches), reporting
 * each figure it prints as a JSON line and passing its other lines through.
 */
export function reportFromChild(moduleUrl: string, what: string, report: Report): Promise<void> {
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(moduleUrl), '--child'], { cwd: packageRoot(moduleUrl), env, stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('{')) {
          const figure = JSON.parse(line) as { name: string; value: number; unit: string; note?: string };
          report(figure.name, figure.value, figure.unit, figure.note);
        } else if (line) console.log(line);
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the ${what} bench exited ${code}`))));
  });
}
