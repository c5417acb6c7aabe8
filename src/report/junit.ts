import { JUnitXmlPrinter } from '@cucumber/junit-xml-formatter';
import type { Envelope } from '@cucumber/messages';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import type { ObjectiveResult, RunResults, ScenarioResult } from './types.js';

/**
 * junit.xml for CI: cucumber's own JUnit printer (one testcase per scenario,
 * the steps as system-out), fed the run's messages with each failure's
 * message as a person reads it instead of a stack trace, then given each
 * testcase's measured RTO and RPO as properties.
 */
export class JunitReport {
  private readonly printer: JUnitXmlPrinter;
  private printed = '';

  constructor(suiteName: string) {
    this.printer = new JUnitXmlPrinter({ suiteName }, (xml: string) => (this.printed = xml));
  }

  add(envelope: Envelope): void {
    const finished = envelope.testStepFinished;
    const exception = finished?.testStepResult.exception;
    if (finished && exception) {
      // The stack frames are the harness's, not the game day's: CI shows what failed and by how much.
      const message = exception.message ?? finished.testStepResult.message ?? exception.type;
      envelope = {
        testStepFinished: { ...finished, testStepResult: { ...finished.testStepResult, message, exception: { type: exception.type, message, stackTrace: message } } },
      };
    }
    this.printer.update(envelope);
  }

  /** The document, once the run's messages are in: testcases in cucumber's order (by file, then line), as results.json orders scenarios. */
  xml(results: RunResults): string {
    if (!this.printed) return '';
    const parser = new XMLParser({ ignoreAttributes: false, preserveOrder: true, cdataPropName: '#cdata', attributeNamePrefix: '@' });
    const document = parser.parse(this.printed) as XmlNode[];
    const suite = document.find((node) => 'testsuite' in node);
    const cases = ((suite?.['testsuite'] as XmlNode[] | undefined) ?? []).filter((node) => 'testcase' in node);
    // The printer sorts pickles by uri, then line; results.json does the same. A count that differs says the order cannot be trusted.
    if (cases.length === results.scenarios.length) {
      cases.forEach((node, index) => {
        const properties = propertiesOf(results.scenarios[index]!);
        if (properties.length) (node['testcase'] as XmlNode[]).unshift({ properties: properties.map((p) => ({ property: [], ':@': { '@name': p.name, '@value': p.value } })) });
      });
    }
    const builder = new XMLBuilder({ ignoreAttributes: false, preserveOrder: true, cdataPropName: '#cdata', attributeNamePrefix: '@', format: true, suppressEmptyNode: true });
    return builder.build(document) as string;
  }
}

type XmlNode = Record<string, unknown>;

function objectiveProperties(name: 'rto' | 'rpo', objective: ObjectiveResult | null): { name: string; value: string }[] {
  if (!objective) return [];
  return [
    { name: `gameday.${name}.targetSeconds`, value: String(objective.targetSeconds) },
    { name: `gameday.${name}.measuredSeconds`, value: objective.measuredSeconds === null ? 'not recovered' : String(objective.measuredSeconds) },
    { name: `gameday.${name}.resolutionSeconds`, value: String(objective.resolutionSeconds) },
    { name: `gameday.${name}.met`, value: String(objective.met) },
    ...(objective.lostWrites !== undefined ? [{ name: `gameday.${name}.lostWrites`, value: String(objective.lostWrites) }] : []),
  ];
}

function propertiesOf(scenario: ScenarioResult): { name: string; value: string }[] {
  return [
    { name: 'gameday.scenario', value: scenario.id },
    ...(scenario.incident ? [{ name: 'gameday.incident', value: `${scenario.incident.kind}: ${scenario.incident.what}` }] : []),
    ...objectiveProperties('rto', scenario.rto),
    ...objectiveProperties('rpo', scenario.rpo),
  ];
}
