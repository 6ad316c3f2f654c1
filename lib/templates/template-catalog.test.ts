/**
 * Every file of templates/ is a template: it parses with the portable parser, is a template file,
 * its flow is complete with no structural or expression problem, and it survives export → import
 * as an equal document. The loop is over the folder, so adding a file adds its tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFlow } from '@/lib/flows/model/check-flow';
import { bindAccounts } from '@/lib/flows/transfer/bind-accounts';
import { exportPortableFlow } from '@/lib/flows/transfer/export-portable-flow';
import { parsePortableFlow } from '@/lib/flows/transfer/parse-portable-flow';
import { expressionSyntaxProblems } from '@/lib/flows/validation/expression-syntax';
import { loadTemplateCatalog, readTemplate, TEMPLATES_DIR } from './template-catalog';

const files = readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.yaml'));
const catalog = loadTemplateCatalog();
const ACCOUNT = '01JTEMPLATEACCOUNT00000000';

describe('the template catalog', () => {
  it('has at least 12 templates, one per file, and no file it could not read', () => {
    expect(catalog.errors).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(12);
    expect(catalog.templates.map((t) => `${t.id}.yaml`).sort()).toEqual([...files].sort());
  });

  it('derives tags from the flow: the tables of its Dynamics steps and its trigger kind', () => {
    const tags = (id: string) => catalog.byId.get(id)?.tags;
    expect(tags('capture-web-leads')).toEqual({
      objects: [{ logicalName: 'lead', displayName: 'Lead', displayCollectionName: 'Leads' }],
      trigger: 'api',
      triggerType: 'api.request',
    });
    expect(tags('qualified-lead-to-account-and-contact')?.objects.map((o) => o.logicalName)).toEqual(['lead', 'account', 'contact']);
    expect(tags('invoice-new-orders')).toMatchObject({ trigger: 'dynamics', triggerType: 'dynamics.salesorder.new' });
    expect(tags('invoice-new-orders')?.objects.map((o) => o.displayName)).toEqual(['Order', 'Invoice']);
    expect(tags('overdue-invoices-daily')).toMatchObject({ trigger: 'scheduler' });
    const kinds = new Set(catalog.templates.map((t) => t.tags.trigger));
    expect([...kinds].sort()).toEqual(['api', 'dynamics', 'scheduler']);
  });

  it('refuses a file that is not a template, or whose flow has problems, with the reason', () => {
    const template = readFileSync(path.join(TEMPLATES_DIR, 'capture-web-leads.yaml'), 'utf8');
    const plainFlow = template
      .replace('format: dynamics-flow-designer/template', 'format: dynamics-flow-designer/flow')
      .replace(/^template:[\s\S]*?^accounts:/m, 'accounts:');
    expect(readTemplate('x', plainFlow)).toMatchObject({ ok: false, code: 'wrong_format' });
    const broken = template.replace('- { id: e3, from: { node: upsertLead, handle: error }, to: { node: answerFailed } }', '');
    expect(readTemplate('x', broken)).toMatchObject({
      ok: false,
      code: 'invalid_document',
      message: expect.stringMatching(/error_path_missing/),
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'templates-'));
    writeFileSync(path.join(dir, 'Bad Name.yaml'), template);
    writeFileSync(path.join(dir, 'ok.yaml'), template);
    writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    const small = loadTemplateCatalog(dir);
    expect(small.templates.map((t) => t.id)).toEqual(['ok']);
    expect(small.errors).toEqual([expect.objectContaining({ file: 'Bad Name.yaml', code: 'bad_file_name' })]);
  });
});

describe.each(files)('templates/%s', (file) => {
  const text = readFileSync(path.join(TEMPLATES_DIR, file), 'utf8');

  it('parses as a template whose flow validates with no problem', () => {
    const parsed = parsePortableFlow(text);
    if (!parsed.ok) throw new Error(`${parsed.error.code}: ${parsed.error.message} ${JSON.stringify(parsed.error.problems ?? [])}`);
    const { portable } = parsed;
    expect(portable.format).toBe('dynamics-flow-designer/template');
    expect(portable.problems).toEqual([]);
    expect(portable.template?.title.length).toBeGreaterThan(0);
    expect(portable.template?.summary.length).toBeGreaterThan(40);
    expect(portable.template?.timeSaved).toMatch(/^[A-Z].*\.$/);
    expect(portable.template?.keywords.length).toBeGreaterThan(0);
    // The same checks a saved flow gets before any account is involved: structure and expression syntax.
    const bound = bindAccounts(portable, Object.fromEntries(Object.keys(portable.accounts).map((k) => [k, ACCOUNT])));
    if (!bound.ok) throw new Error(bound.error.message);
    const checked = checkFlow(bound.document);
    expect(checked.ok ? [] : checked.problems).toEqual([]);
    expect(expressionSyntaxProblems(checked.document!)).toEqual([]);
    expect(portable.flow.name).toBe(portable.template?.title);
  });

  it('round-trips through export and import to an equal document', () => {
    const parsed = parsePortableFlow(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const accounts = Object.fromEntries(Object.keys(parsed.portable.accounts).map((k, i) => [k, `${ACCOUNT.slice(0, -1)}${i}`]));
    const bound = bindAccounts(parsed.portable, accounts);
    if (!bound.ok) throw new Error(bound.error.message);
    const names = new Map(Object.entries(accounts).map(([k, id]) => [id, parsed.portable.accounts[k]!.label]));
    const exported = exportPortableFlow(bound.document, names, { template: parsed.portable.template });
    expect(exported).not.toContain(ACCOUNT.slice(0, -1));
    const again = parsePortableFlow(exported);
    if (!again.ok) throw new Error(`${again.error.code}: ${again.error.message}`);
    expect(again.portable.template).toEqual(parsed.portable.template);
    // The placeholders are named anew from the accounts' names: bind them back to the same accounts.
    const byLabel = new Map(Object.entries(parsed.portable.accounts).map(([k, v]) => [v.label, accounts[k]!]));
    const rebound = bindAccounts(
      again.portable,
      Object.fromEntries(Object.entries(again.portable.accounts).map(([k, v]) => [k, byLabel.get(v.label)!])),
    );
    if (!rebound.ok) throw new Error(rebound.error.message);
    expect(rebound.document).toEqual(bound.document);
  });
});
