import { describe, expect, it } from 'vitest';
import { listApplications } from '@/lib/connectors/catalog';
import { paletteSections } from './palette';

// The palette derives from the connector's descriptor: the relation actions appear under each object with no palette change.
describe('the palette offers Relate and Unrelate records', () => {
  it('under every built-in object, and search finds them', () => {
    const sections = paletteSections(listApplications());
    const leads = sections.find((s) => s.id === 'actions')?.groups.find((g) => g.id === 'actions:lead');
    expect(leads?.items.map((i) => i.type)).toEqual(expect.arrayContaining(['dynamics.lead.relate', 'dynamics.lead.unrelate']));
    expect(leads?.items.find((i) => i.type === 'dynamics.lead.relate')?.title).toBe('Relate lead records');
    const found = paletteSections(listApplications(), 'unrelate')
      .find((s) => s.id === 'actions')
      ?.groups.flatMap((g) => g.items);
    expect(found?.map((i) => i.type)).toContain('dynamics.contact.unrelate');
  });
});
