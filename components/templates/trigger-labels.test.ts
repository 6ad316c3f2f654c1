import { describe, expect, it } from 'vitest';
import { galleryObjects, triggerLabel } from './trigger-labels';

const lead = { logicalName: 'lead', displayName: 'Lead', displayCollectionName: 'Leads' };
const order = { logicalName: 'salesorder', displayName: 'Order', displayCollectionName: 'Orders' };

describe('trigger labels', () => {
  it('names a Dynamics event by its kind and table, and other triggers by their kind', () => {
    expect(triggerLabel({ trigger: 'dynamics', triggerType: 'dynamics.lead.new', objects: [lead] })).toBe('New lead');
    expect(triggerLabel({ trigger: 'dynamics', triggerType: 'dynamics.salesorder.new_or_updated', objects: [order] })).toBe(
      'New or updated order',
    );
    expect(triggerLabel({ trigger: 'scheduler', triggerType: 'scheduler.schedule', objects: [lead] })).toBe('Schedule');
    expect(triggerLabel({ trigger: 'api', triggerType: 'api.request', objects: [] })).toBe('API call');
  });

  it('lists each object the templates use once, by name', () => {
    expect(galleryObjects([{ tags: { objects: [order, lead] } }, { tags: { objects: [lead] } }]).map((o) => o.logicalName)).toEqual([
      'lead',
      'salesorder',
    ]);
  });
});
