import { Box, Text } from 'ink';
import { Fragment, type ReactNode } from 'react';
import { Span } from './Span.js';
import { Summary } from './Summary.js';
import { cellWidth, formatSeconds, scenarioClock, wrapWords } from './format.js';
import { scenarioMark } from './marks.js';
import type { LogLine, ObjectiveFigure, PrintedBlock } from './state.js';

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
          {block.lines.length > 0 ? <Log lines={block.lines} width={width} /> : null}
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

/**
 * A scenario's log, wrapped here, each line's rest under its text rather
 * than under its clock, and drawn as one Text: Ink then neither lays out a
 * box per line nor wraps them itself (its word wrap measured every word of
 * every line with string-width, most of what printing a scenario cost).
 */
function Log({ lines, width }: { lines: LogLine[]; width: number }) {
  return (
    <Text>
      {lines.map((line, index) => {
        const clock = line.t !== undefined ? scenarioClock(line.t) : '       ';
        const indent = 4 + cellWidth(`${clock} ${line.mark} `);
        const [first, ...rest] = wrapWords(line.text, width - indent);
        return (
          <Fragment key={index}>
            {index > 0 ? '\n' : ''}
            {'    '}
            <Span tone="dim">{clock}</Span> <Span tone={line.tone}>{line.mark}</Span> {first}
            {rest.map((more) => `\n${' '.repeat(indent)}${more}`).join('')}
          </Fragment>
        );
      })}
    </Text>
  );
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
