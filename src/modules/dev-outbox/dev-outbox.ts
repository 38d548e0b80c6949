import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';
import { escapeHtml } from '../../core/escape-html.js';

export interface OutboxEmail {
  file: string;
  date: string;
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** The newest `limit` emails of the outbox, decoded (quoted-printable no longer breaks a token across lines). */
export async function readOutbox(outboxDir: string, limit: number): Promise<OutboxEmail[]> {
  const names = await readdir(outboxDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  // Files are named by the time they were written, so the name orders them.
  const newest = names.filter((name) => name.endsWith('.eml')).sort().reverse().slice(0, limit);
  // Loaded only here: the page is a development tool, and production start-up never needs the parser.
  const { simpleParser } = await import('mailparser');
  return Promise.all(
    newest.map(async (name) => {
      const parsed = await simpleParser(await readFile(path.join(outboxDir, name)));
      const addresses = (value: typeof parsed.to) => (value === undefined ? '' : Array.isArray(value) ? value.map((a) => a.text).join(', ') : value.text);
      return {
        file: name,
        date: parsed.date?.toISOString() ?? '',
        from: addresses(parsed.from),
        to: addresses(parsed.to),
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
      };
    }),
  );
}

const urlPattern = /https?:\/\/[^\s<>"']+/g;

/** Escaped text with every http(s) URL made a link; everything else stays text. */
export function linkify(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const url = match[0].replace(/[.,;:!?)]+$/, '');
    html += escapeHtml(text.slice(last, match.index)) + `<a href="${escapeHtml(url)}" rel="noreferrer">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return html + escapeHtml(text.slice(last));
}

export function renderOutboxPage(emails: OutboxEmail[], outboxDir: string, nonce: string): string {
  const items = emails
    .map(
      (email) => `<article>
<h2>${escapeHtml(email.subject || '(no subject)')}</h2>
<p class="meta">To ${escapeHtml(email.to)} · from ${escapeHtml(email.from)} · <time>${escapeHtml(email.date)}</time> · ${escapeHtml(email.file)}</p>
<pre>${linkify(email.text)}</pre>
</article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Spruce outbox</title>
<style nonce="${nonce}">body{font:15px/1.5 system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}article{border-top:1px solid #ccc;padding:.5rem 0}.meta{color:#555;font-size:13px}pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:.75rem}</style>
</head><body>
<h1>Outbox</h1>
<p class="meta">Emails written to ${escapeHtml(outboxDir)}, newest first (development only; reload for new ones).</p>
${items || '<p>No email yet.</p>'}
</body></html>`;
}

/**
 * GET /dev/outbox: the emails the outbox mailer wrote, like Mailpit or letter_opener, for development only. It
 * is not registered at all in production or with SMTP, so it can never leak mail there.
 */
export function registerDevOutbox(app: FastifyInstance, config: Pick<Config, 'env' | 'smtpUrl' | 'outboxDir'>): void {
  if (config.env !== 'development' || config.smtpUrl !== null) return;
  app.get('/dev/outbox', { schema: { hide: true } }, async (_request, reply) => {
    const nonce = randomBytes(16).toString('base64');
    const page = renderOutboxPage(await readOutbox(config.outboxDir, 50), config.outboxDir, nonce);
    return reply
      .header('Content-Security-Policy', `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`)
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(page);
  });
}
