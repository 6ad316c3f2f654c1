import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePortableFlow } from '@/lib/flows/transfer/parse-portable-flow';
import { TEMPLATE_FORMAT, type PortableFlow, type TemplateInfo } from '@/lib/flows/transfer/portable-flow-schema';
import { templateTags, type TemplateTags } from './template-tags';

/** Where the template files live: `templates/<id>.yaml` at the repository root (the server's working directory). */
export const TEMPLATES_DIR = path.join(process.cwd(), 'templates');

/** A template's id is its file name: lower-case words joined by dashes. */
export const TEMPLATE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FILE_PATTERN = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$/;

export interface Template extends TemplateInfo {
  id: string;
  /** The account placeholders its Dynamics steps use, with what each one is for. */
  accounts: Record<string, { label: string }>;
  tags: TemplateTags;
  /** The parsed file: its flow names placeholders, not accounts. */
  portable: PortableFlow & { template: TemplateInfo };
}

export interface TemplateFileError {
  file: string;
  code: string;
  message: string;
}

export interface TemplateCatalog {
  /** Sorted by title. */
  templates: readonly Template[];
  byId: ReadonlyMap<string, Template>;
  /** Files that could not be read as templates (left out of the gallery; the catalog test fails on any). */
  errors: readonly TemplateFileError[];
}

/**
 * Reads one template file's text. Pure: the id and text come from the caller.
 * A template is a portable file of the template format whose flow is complete (no structural problems).
 */
export function readTemplate(id: string, text: string): { ok: true; template: Template } | { ok: false; code: string; message: string } {
  const parsed = parsePortableFlow(text);
  if (!parsed.ok) {
    const detail = parsed.error.problems?.length
      ? ` ${parsed.error.problems.map((p) => `${p.nodeId ?? ''} ${p.field ?? ''}: ${p.message}`).join('; ')}`
      : '';
    return { ok: false, code: parsed.error.code, message: `${parsed.error.message}${detail}` };
  }
  const { portable } = parsed;
  if (portable.format !== TEMPLATE_FORMAT || !portable.template) {
    return { ok: false, code: 'wrong_format', message: `A template file has format ${TEMPLATE_FORMAT}.` };
  }
  if (portable.problems.length) {
    return {
      ok: false,
      code: 'invalid_document',
      message: `The template's flow has problems: ${portable.problems.map((p) => `${p.nodeId ?? ''} ${p.code}: ${p.message}`).join('; ')}`,
    };
  }
  const template = portable.template;
  return {
    ok: true,
    template: { id, ...template, accounts: portable.accounts, tags: templateTags(portable.flow), portable: { ...portable, template } },
  };
}

/**
 * The folder's file names and a reader of one file. The repository's folder is named statically
 * (process.cwd()/templates), so the build traces that folder only; another folder (a test's) is
 * read without tracing.
 */
function folder(dir: string | undefined): { files: string[]; read: (file: string) => string } {
  if (dir === undefined) {
    return {
      files: readdirSync(path.join(process.cwd(), 'templates')),
      read: (file) => readFileSync(path.join(process.cwd(), 'templates', file), 'utf8'),
    };
  }
  return {
    files: readdirSync(/*turbopackIgnore: true*/ dir),
    read: (file) => readFileSync(/*turbopackIgnore: true*/ path.join(dir, file), 'utf8'),
  };
}

/** Reads every `*.yaml` of the templates folder, or of `dir` (other files are ignored). */
export function loadTemplateCatalog(dir?: string): TemplateCatalog {
  const templates: Template[] = [];
  const errors: TemplateFileError[] = [];
  const { files, read: readText } = folder(dir);
  for (const file of files.sort()) {
    if (!file.endsWith('.yaml')) continue;
    const id = FILE_PATTERN.exec(file)?.[1];
    if (!id) {
      errors.push({
        file,
        code: 'bad_file_name',
        message: 'A template file is named <id>.yaml, the id in lower-case words joined by dashes.',
      });
      continue;
    }
    const read = readTemplate(id, readText(file));
    if (read.ok) templates.push(read.template);
    else errors.push({ file, code: read.code, message: read.message });
  }
  templates.sort((a, b) => a.title.localeCompare(b.title));
  return { templates, byId: new Map(templates.map((t) => [t.id, t])), errors };
}

let catalog: TemplateCatalog | undefined;

/** The repository's templates, read once per server process (they change only with a deployment). */
export function templateCatalog(): TemplateCatalog {
  if (!catalog) {
    catalog = loadTemplateCatalog();
    for (const e of catalog.errors) console.warn(`template ${e.file} left out: ${e.code}: ${e.message}`);
  }
  return catalog;
}
