import { createHash } from 'node:crypto';
import { renderToStaticMarkup } from 'react-dom/server';
import { CLIENT_SCRIPT } from './client-script.js';
import { scriptSafeJson } from './data-island.js';
import { ReportDocument } from './ReportDocument.js';
import { REPORT_CSS } from './styles.js';
import type { ReportData } from './types.js';

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Nothing may load from anywhere (default-src 'none'): the only style and
 * script allowed are the inline ones, by hash; images only as data: URLs.
 * base-uri and form-action do not fall back to default-src, so they are
 * closed on their own.
 */
export function contentSecurityPolicy(css: string, script: string): string {
  return [`default-src 'none'`, `style-src ${sha256(css)}`, `script-src ${sha256(script)}`, `img-src data:`, `base-uri 'none'`, `form-action 'none'`].join('; ');
}

export function renderDocument(data: ReportData): string {
  const markup = renderToStaticMarkup(
    <ReportDocument data={data} css={REPORT_CSS} script={CLIENT_SCRIPT} island={scriptSafeJson(data)} contentSecurityPolicy={contentSecurityPolicy(REPORT_CSS, CLIENT_SCRIPT)} />,
  );
  return `<!DOCTYPE html>\n${markup}\n`;
}
