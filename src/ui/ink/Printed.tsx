import { Box, Text } from 'ink';
import { Span } from './Span.js';
import { Summary } from './Summary.js';
import { formatSeconds, scenarioClock } from './format.js';
import { scenarioMark } from './marks.js';
import type { ObjectiveFigure, PrintedBlock } from './state.js';

/**
 * A block for `<Static>`: printed once above the live region and left in
 * scrollback. Not budgeted by rows (the terminal scrolls it away), so lines
 * may wrap here.
 */
export function Printed({ block, width }: { block: PrintedBlock; width: number }) {
  switch (block.kind) {
    case 'run': {
      const { run } = block;
      return (
        <Box flexDirection="column">
          <Text>
            <Text bold>gameday run {run.runId}</Text> · {run.environment} on {run.target}
            {run.account ? ` (${run.account})` : ''} · seed {run.seed} · {run.dir}
          </Text>
          {block.warnings.map((warning, index) => (
            <Span key={index} tone="warn">
              ! {warning}
            </Span>
          ))}
        </Box>
      );
    }
    case 'note':
      return (
        <Span tone="accent">
          ✎ note{block.by ? ` (${block.by})` : ''}: {block.text}
        </Span>
      );
    case 'summary':
      return <Summary results={block.results} dir={block.dir} width={width} />;
    case 'scenario': {
      const mark = scenarioMark(block.state);
      return (
        <Box flexDirection="column" marginTop={1}>
          <Text>
            <Span tone={mark.tone} bold>
              {mark.glyph} {block.name}: {mark.word}
            </Span>
            <Span tone="dim">{block.uri ? `  ${block.uri}:${block.line}` : ''}</Span>
          </Text>
          {block.lines.map((line, index) => (
            <Text key={index}>
              {'    '}
              <Span tone="dim">{line.t !== undefined ? scenarioClock(line.t) : '       '}</Span> <Span tone={line.tone}>{line.mark}</Span> {line.text}
            </Text>
          ))}
          {block.dropped ? <Span tone="dim">{`    … ${block.dropped} more events in the report`}</Span> : null}
          {block.rto || block.rpo ? (
            <Text>
              {'  '}
              <Objective label="RTO" figure={block.rto} />
              {block.rto && block.rpo ? ' · ' : ''}
              <Objective label="RPO" figure={block.rpo} />
            </Text>
          ) : null}
          {block.error ? <Span tone="bad">{`  ✘ ${block.error}`}</Span> : null}
        </Box>
      );
    }
  }
}

function Objective({ label, figure }: { label: string; figure: ObjectiveFigure | undefined }) {
  if (!figure) return null;
  const measured = figure.measuredSeconds === null ? 'not recovered' : formatSeconds(figure.measuredSeconds);
  const lost = figure.lostWrites !== undefined ? `, ${figure.lostWrites} lost` : '';
  return (
    <Span tone={figure.met ? 'ok' : 'bad'}>
      {label} {measured} of {formatSeconds(figure.targetSeconds)}
      {lost}: {figure.met ? '✔ met' : '✘ BREACHED'}
    </Span>
  );
}
