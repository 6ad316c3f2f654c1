/** Search over the real catalog: the product's name, an object, a task word, filters and ranking. */
import { describe, expect, it } from 'vitest';
import { queryTerms, searchTemplates } from './search-templates';
import { loadTemplateCatalog } from './template-catalog';

const { templates } = loadTemplateCatalog();
const ids = (q: Parameters<typeof searchTemplates>[1]) => searchTemplates(templates, q).map((t) => t.id);

describe('searchTemplates', () => {
  it('finds every template by the product name, or "Dynamics" alone, or nothing typed', () => {
    const all = templates.map((t) => t.id);
    expect(ids({ q: 'Microsoft Dynamics 365 for Sales' })).toEqual(all);
    expect(ids({ q: 'dynamics' })).toEqual(all);
    expect(ids({ q: '  ' })).toEqual(all);
    expect(ids({})).toEqual(all);
  });

  it('finds templates by an object, by its logical name or what people call it, singular or plural', () => {
    const usingOrders = templates.filter((t) => t.tags.objects.some((o) => o.logicalName === 'salesorder')).map((t) => t.id);
    expect(usingOrders.length).toBeGreaterThanOrEqual(3);
    for (const q of ['order', 'Orders', 'salesorder']) expect(ids({ q }).sort()).toEqual(expect.arrayContaining(usingOrders.sort()));
    expect(ids({ q: 'opportunities' })).toEqual(
      expect.arrayContaining(['won-opportunity-notify', 'stale-opportunities-nudge', 'daily-pipeline-summary']),
    );
    expect(ids({ q: 'Dynamics 365 invoice' })).toEqual(
      expect.arrayContaining(['invoice-new-orders', 'overdue-invoices-daily', 'credit-hold-overdue-customers']),
    );
  });

  it('finds templates by a task word, the best match first', () => {
    expect(ids({ q: 'duplicate' })[0]).toBe('capture-web-leads');
    expect(ids({ q: 'web form' })[0]).toBe('capture-web-leads');
    expect(ids({ q: 'price feed' })[0]).toBe('sync-product-prices');
    expect(ids({ q: 'overdue' }).slice(0, 2).sort()).toEqual(['credit-hold-overdue-customers', 'overdue-invoices-daily']);
    expect(ids({ q: 'clean up old leads' })[0]).toBe('clean-up-old-leads');
    expect(ids({ q: 'territory' })).toEqual(['reassign-open-orders-on-owner-change']);
    expect(ids({ q: 'scoring' })).toEqual(['score-new-leads']);
  });

  it('needs every word to match somewhere, and finds nothing for words no template has', () => {
    expect(ids({ q: 'invoice webhook' })).toContain('overdue-invoices-daily');
    expect(ids({ q: 'invoice webhook' })).not.toContain('invoice-new-orders');
    expect(ids({ q: 'submarine' })).toEqual([]);
    expect(ids({ q: 'Dynamics submarine' })).toEqual([]);
  });

  it('filters by object and by trigger kind, alone or with a query', () => {
    const scheduled = ids({ trigger: 'scheduler' });
    expect(scheduled.length).toBeGreaterThanOrEqual(4);
    for (const id of scheduled) expect(templates.find((t) => t.id === id)?.tags.trigger).toBe('scheduler');
    expect(ids({ trigger: 'api' }).sort()).toEqual(['capture-web-leads', 'order-status-lookup']);
    expect(ids({ object: 'product' })).toEqual(['sync-product-prices']);
    expect(ids({ object: 'invoice', trigger: 'dynamics' })).toEqual(['invoice-new-orders']);
    expect(ids({ q: 'lead', trigger: 'api' })).toEqual(['capture-web-leads']);
    expect(ids({ object: 'no_such_table' })).toEqual([]);
  });

  it('reads only the words that say something', () => {
    expect(queryTerms('Microsoft Dynamics 365 for Sales: overdue Invoices!')).toEqual(['overdue', 'invoice']);
    expect(queryTerms('Opportunités')).toEqual(['opportunite']);
  });
});
