import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { Span } from './Span.js';
import { Summary } from './Summary.js';
import { formatSeconds, scenarioClock } from './format.js';
import { scenarioMark } from './marks.js';
import type { ObjectiveFigure, PrintedBlock } from './state.js';

/**
 * A block for `<Static>`: printed once above the live region and left in
 * scrollback. Not budgeted by rows (the terminal scrolls it away), so lines
 * may wrap here. Given the terminal's width: Static lays its children out
 * absolutely, where nothing else bounds a row, and a row as wide as its
 * text would overflow the terminal instead of wrapping under its indent.
 */
export function Printed({ block, width }: { block: PrintedBlock; width: number }) {
  switch (block.kind) {
    case 'run': {
      const { run } = block;
      return (
        <Box flexDirection="column" width={width}>
          <Text>
            <Text bold>gameday run {run.runId}</Text> · seed {run.seed}
          </Text>
          <Hanging indent={2}>
            {run.environment} on {run.target}
            {run.account ? ` (${run.account})` : ''} · {run.dir}
          </Hanging>
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
        <Box flexDirection="column" marginTop={1} width={width}>
          <Text>
            <Span tone={mark.tone} bold>
              {mark.glyph} {block.name}: {mark.word}
            </Span>
            <Span tone="dim">{block.uri ? `  ${block.uri}:${block.line}` : ''}</Span>
          </Text>
          {block.lines.map((line, index) => (
            <Box key={index}>
              {/* Indented by padding, not spaces: coloured, Ink's measure trims leading spaces and the text after overflows. */}
              <Box flexShrink={0} paddingLeft={4}>
                <Text>
                  <Span tone="dim">{line.t !== undefined ? scenarioClock(line.t) : '       '}</Span> <Span tone={line.tone}>{line.mark}</Span>{' '}
                </Text>
              </Box>
              <Box flexShrink={1}>
                <Text>{line.text}</Text>
              </Box>
            </Box>
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

/** Text that wraps under itself, not under the indent before it: a long event line stays readable at 80 columns. */
function Hanging({ indent, children }: { indent: number; children: ReactNode }) {
  return (
    <Box paddingLeft={indent}>
      <Box flexShrink={1}>
        <Text>{children}</Text>
      </Box>
    </Box>
  );
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
