/**
 * The report's public face: results.json's types, the builder that makes it
 * from cucumber's messages, the samples' distributions, JUnit and the text
 * histogram. The HTML report is not here: run-folder.ts loads it on demand,
 * so that a run with no report to write never loads React.
 *
 * run/ and report/ depend on each other (a run builds results; results read
 * the run's attachments and line index): report/ imports run/'s leaf
 * modules (attachments, lines, run-folder) directly, never run/index.ts,
 * which would close a circle.
 */
export { histogramLines } from './histogram.js';
export { JunitReport } from './junit.js';
export { ResultsBuilder, type PlannedIdentity } from './results.js';
export { metText, sampleRecord, withSampleVerdicts, type SampleRecord } from './samples.js';
export type * from './types.js';
