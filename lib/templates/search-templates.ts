import type { TemplateTags, TriggerKind } from './template-tags';

/** What search reads of a template (a Template has all of it). */
export interface SearchableTemplate {
  id: string;
  title: string;
  summary: string;
  keywords: readonly string[];
  tags: Pick<TemplateTags, 'objects' | 'trigger'>;
}

export interface TemplateQuery {
  /** Free text: words of the title, summary, keywords or object names. */
  q?: string;
  /** A table's logical name (`salesorder`): only templates using it. */
  object?: string;
  trigger?: TriggerKind;
}

/**
 * Words naming the product every template is for: "Microsoft Dynamics 365 for Sales" (what people
 * are told to type in a gallery) or "Dynamics" alone selects them all rather than none.
 */
const PRODUCT_WORDS = new Set(['microsoft', 'dynamics', '365', 'd365', 'crm', 'dataverse', 'sales']);
const STOP_WORDS = new Set(['a', 'an', 'and', 'the', 'for', 'of', 'to', 'in', 'on', 'with', 'when', 'my', 'our', 'is', 'it', 'by']);

/** Where a word was found, and what that is worth: the title says most about what a template does. */
const WEIGHTS = { title: 5, object: 4, keyword: 3, summary: 1 } as const;

/** Lower case, accents off, letters and digits only. */
const words = (text: string): string[] =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

/** A light stem so "invoices", "opportunities" and "leads" find "invoice", "opportunity" and "lead". */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(ses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** The query's words that say something (not the product's name, not filler words), stemmed. */
export function queryTerms(q: string | undefined): string[] {
  return [...new Set(words(q ?? '').filter((w) => !PRODUCT_WORDS.has(w) && !STOP_WORDS.has(w)))].map(stem);
}

interface Fields {
  title: string[];
  object: string[];
  keyword: string[];
  summary: string[];
}

function fieldsOf(t: SearchableTemplate): Fields {
  const stems = (text: string) => words(text).map(stem);
  return {
    title: stems(t.title),
    object: t.tags.objects.flatMap((o) => [o.logicalName, ...stems(o.displayName), ...stems(o.displayCollectionName)]).map(stem),
    keyword: t.keywords.flatMap(stems),
    summary: stems(t.summary),
  };
}

/** How well one term matches: a whole word beats the start of one; the best field counts. */
function termScore(term: string, fields: Fields): number {
  let best = 0;
  for (const field of Object.keys(WEIGHTS) as (keyof Fields)[]) {
    for (const w of fields[field]) {
      const hit = w === term ? 1 : term.length >= 3 && w.startsWith(term) ? 0.6 : 0;
      best = Math.max(best, hit * WEIGHTS[field]);
    }
  }
  return best;
}

/**
 * The templates matching a query, best first. Every term of `q` must match somewhere (title,
 * keywords, object names or display names, summary); a query naming only the product matches all.
 * `object` and `trigger` filter. Pure: the catalog is the caller's.
 *
 * @example searchTemplates(catalog.templates, { q: 'overdue invoices', trigger: 'scheduler' })
 */
export function searchTemplates<T extends SearchableTemplate>(templates: readonly T[], query: TemplateQuery): T[] {
  const terms = queryTerms(query.q);
  const object = query.object?.trim().toLowerCase();
  const scored: { template: T; score: number }[] = [];
  for (const template of templates) {
    if (object && !template.tags.objects.some((o) => o.logicalName === object)) continue;
    if (query.trigger && template.tags.trigger !== query.trigger) continue;
    const fields = fieldsOf(template);
    let score = 0;
    let all = true;
    for (const term of terms) {
      const s = termScore(term, fields);
      if (s === 0) {
        all = false;
        break;
      }
      score += s;
    }
    if (all) scored.push({ template, score });
  }
  return scored.sort((a, b) => b.score - a.score || a.template.title.localeCompare(b.template.title)).map((s) => s.template);
}
